import { resolve } from 'node:path';
import { COMPRESSION_EXTENSIONS } from '../operations/compress.js';
import { formatFromExtension } from '../operations/decompress.js';
import { nameWithoutExtension } from '../operations/name-without-extension.js';

/**
 * The final path a job writes its output to, as far as the daemon can tell from its params
 * alone: `params.output` when given (any operation, custom ones included), else the default of
 * the built-in operation (`encrypt` → `input.age`, `decrypt` → `input` without `.age`,
 * `compress` → `input.gz`/`.br`, `decompress` → `input` without its extension). `undefined`
 * when there is none to find (`hash` without `output`, bad params: the job fails anyway).
 * Relative paths resolve as the worker resolves them (against the daemon's folder, `/`).
 */
export function jobOutputPath(operation: string, params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const { input, output, format } = params as Record<string, unknown>;
  if (typeof output === 'string' && output !== '') return resolve(output);
  if (typeof input !== 'string' || input === '') return undefined;
  switch (operation) {
    case 'encrypt':
      return resolve(`${input}.age`);
    case 'decrypt':
      return resolveDefined(nameWithoutExtension(input, '.age'));
    case 'compress':
      return format === undefined || format === 'gzip' || format === 'brotli'
        ? resolve(`${input}${COMPRESSION_EXTENSIONS[format ?? 'gzip']}`)
        : undefined;
    case 'decompress': {
      const named =
        format === 'gzip' || format === 'brotli'
          ? format
          : format === undefined
            ? formatFromExtension(input)
            : undefined;
      if (named === undefined) return undefined;
      return resolveDefined(nameWithoutExtension(input, COMPRESSION_EXTENSIONS[named]));
    }
    default:
      return undefined;
  }
}

function resolveDefined(path: string | undefined): string | undefined {
  return path === undefined ? undefined : resolve(path);
}
