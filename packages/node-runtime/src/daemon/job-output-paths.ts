import { resolve } from 'node:path';
import { COMPRESSION_EXTENSIONS } from '../operations/compress.js';
import { formatFromExtension } from '../operations/decompress.js';

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
      return input.endsWith('.age') && input.length > 4 ? resolve(input.slice(0, -4)) : undefined;
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
      const extension = COMPRESSION_EXTENSIONS[named];
      return input.endsWith(extension) && input.length > extension.length
        ? resolve(input.slice(0, -extension.length))
        : undefined;
    }
    default:
      return undefined;
  }
}
