import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Removes the temporary files an output at `finalPath` left behind when the process writing it
 * died (`kill -9` of the daemon mid-job): exactly the names `openAtomicOutput` makes,
 * `.<basename>.kwqm-<12 hex>.tmp` in the output's folder, and only regular files. Nothing else
 * in the folder is touched. Returns the paths removed; a folder that cannot be read yields none.
 *
 * Only safe while nothing else writes that output: the daemon calls it on start, for jobs that
 * were running when the last daemon died, before any worker runs.
 */
export function removeStaleTempOutputs(finalPath: string): string[] {
  const folder = dirname(finalPath);
  const prefix = `.${basename(finalPath)}.kwqm-`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !TEMP_SUFFIX.test(name.slice(prefix.length))) continue;
    const path = join(folder, name);
    try {
      if (!lstatSync(path).isFile()) continue;
      unlinkSync(path);
      removed.push(path);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}

/** What follows `.<basename>.kwqm-` in an atomic output's temporary name (6 random bytes in hex). */
const TEMP_SUFFIX = /^[0-9a-f]{12}\.tmp$/;
