import type { CompressionFormat } from '@kwqm/node-runtime';
import type { FileOperation } from './file-operation.js';

/** Choices that shape an output name. */
export interface OutputPathOptions {
  /** The format `compress` writes. @default 'gzip' */
  readonly compressionFormat?: CompressionFormat;
}

const COMPRESSED_EXTENSIONS: Readonly<Record<string, CompressionFormat>> = { '.gz': 'gzip', '.br': 'brotli' };

/** The extension a compression format writes (`.gz`, `.br`). */
export function compressedExtension(format: CompressionFormat): string {
  return format === 'brotli' ? '.br' : '.gz';
}

/** The compression format a file name implies, from its extension; `undefined` when none. */
export function compressionFormatOf(path: string): CompressionFormat | undefined {
  return COMPRESSED_EXTENSIONS[extensionOf(path)];
}

/** The lower-case extension of the last path segment, with its dot (`''` when none). */
export function extensionOf(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  // A leading dot names a hidden file (`.env`), not an extension.
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/**
 * Where an operation writes when the user did not choose: beside the input, as the `age`,
 * `gzip` and `brotli` tools do (`x` → `x.age`, `x.age` → `x`). `undefined` for `hash`, which
 * only returns a digest.
 */
export function defaultOutputPath(
  operation: FileOperation,
  input: string,
  options: OutputPathOptions = {},
): string | undefined {
  switch (operation) {
    case 'encrypt':
      return `${input}.age`;
    case 'decrypt':
      // Only `.age` files are offered for decryption; anything else keeps its name plus a suffix
      // so the input is never the output.
      return extensionOf(input) === '.age' ? input.slice(0, -'.age'.length) : `${input}.decrypted`;
    case 'compress':
      return input + compressedExtension(options.compressionFormat ?? 'gzip');
    case 'decompress':
      return compressionFormatOf(input) === undefined ? `${input}.decompressed` : input.slice(0, -3);
    case 'hash':
      return undefined;
  }
}
