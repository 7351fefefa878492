import { isAbsolute, relative } from 'node:path';

/** A path as short as it can be said from `cwd`: relative inside it, absolute elsewhere. */
export function displayPath(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  return fromCwd === '' || fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd;
}
