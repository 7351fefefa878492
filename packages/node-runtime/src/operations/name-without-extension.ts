import { basename } from 'node:path';

/**
 * `path` without `extension` when its file name ends in it, in any case (`LOGS.GZ` → `LOGS`, as
 * `gzip -d` takes it), or `undefined` when it does not, or when the name is only the extension
 * (`.gz`, `dir/.age`: nothing would be left to name the output).
 */
export function nameWithoutExtension(path: string, extension: string): string | undefined {
  const name = basename(path);
  if (name.length <= extension.length || !name.toLowerCase().endsWith(extension)) return undefined;
  return path.slice(0, path.length - extension.length);
}
