import { KwqmError } from '@kwqm/core';
import { isNamedPipe } from './daemon-paths.js';

/**
 * The longest Unix socket path, in bytes, on `platform`: `sun_path` holds 108 bytes on Linux and
 * 104 on macOS and the BSDs, the last of them the terminating NUL.
 */
export function maxSocketPathBytes(platform: NodeJS.Platform = process.platform): number {
  return platform === 'linux' ? 107 : 103;
}

/**
 * Throws `INVALID_OPTION` (option `socketPath`, the `KWQM_SOCKET` variable) for a Unix socket path
 * longer than {@link maxSocketPathBytes}. Nothing else refuses it: Node binds and connects to the
 * path cut at that length, so a daemon's socket appeared outside its private folder and every
 * later start failed on it.
 */
export function checkSocketPathLength(
  socketPath: string,
  platform: NodeJS.Platform = process.platform,
): void {
  if (isNamedPipe(socketPath)) return;
  const bytes = Buffer.byteLength(socketPath);
  const limit = maxSocketPathBytes(platform);
  if (bytes <= limit) return;
  throw new KwqmError(
    'INVALID_OPTION',
    `Expected the daemon's socket path (\`socketPath\`, KWQM_SOCKET) to be at most ${limit} bytes, got ${bytes}: ${socketPath}`,
    { details: { option: 'socketPath', path: socketPath, bytes } },
  );
}
