import { lstatSync } from 'node:fs';
import { KwqmError } from '@kwqm/core';

/**
 * Refuses an `-o` that names a device, a FIFO or a socket (`INVALID_OPTION`). Outputs are written
 * to a temp file that is renamed over the target, which would replace the node itself: as root,
 * `-f -o /dev/null` replaced /dev/null with a regular file.
 */
export function refuseSpecialOutput(path: string): void {
  let stats: ReturnType<typeof lstatSync>;
  try {
    stats = lstatSync(path);
  } catch {
    return; // Nothing there yet, or unreadable: the job reports that itself.
  }
  if (stats.isFile() || stats.isDirectory() || stats.isSymbolicLink()) return;
  throw new KwqmError(
    'INVALID_OPTION',
    `${path} is a device, pipe or socket, not a file: kwqm writes an output beside it and renames it into place, which would replace it; use -o - and redirect`,
    { details: { option: 'output', path } },
  );
}
