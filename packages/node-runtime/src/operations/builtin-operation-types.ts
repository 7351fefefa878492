import type { OperationDefinition } from '@kwqm/core';

/** Options every operation that writes a file shares. */
export interface FileOutputParams {
  /** The file to read. Never modified. */
  readonly input: string;
  /** Where to write. Each operation documents its default (e.g. `input + '.age'`). */
  readonly output?: string;
  /** Replace an existing output. Without it an existing output fails the job with `EEXIST`. @default false */
  readonly overwrite?: boolean;
}

/** What every operation that writes a file returns. */
export interface FileOutputResult {
  /** Absolute path of the file written. */
  readonly output: string;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

/** `encrypt`: an age v1 file for one passphrase or for one or more X25519 recipients. */
export interface EncryptParams extends FileOutputParams {
  /** Public keys (`age1…`). When empty or absent, `secrets.passphrase` is required. */
  readonly recipients?: readonly string[];
  /** ASCII armor (PEM-style `-----BEGIN AGE ENCRYPTED FILE-----`). @default false */
  readonly armor?: boolean;
  /** scrypt work factor (log2 N) for a passphrase. @default 18 */
  readonly workFactor?: number;
}
/** Secrets of `encrypt`: held in memory only. */
export interface EncryptSecrets {
  readonly passphrase?: string;
}

/** `decrypt`: any age v1 file (binary or armored) for a passphrase or X25519 identities. */
export interface DecryptParams extends FileOutputParams {
  /** Highest scrypt work factor accepted, to bound the cost of hostile files. @default 22 */
  readonly maxWorkFactor?: number;
}
/** Secrets of `decrypt`: held in memory only. */
export interface DecryptSecrets {
  readonly passphrase?: string;
  /** Private keys (`AGE-SECRET-KEY-1…`), or the text of identity files (comments allowed). */
  readonly identities?: readonly string[];
}

/** Hash algorithms, named as OpenSSL and coreutils name them. */
export type HashAlgorithm = 'sha256' | 'sha512' | 'blake2b512';

/** `hash`: a digest of the input, returned and optionally written as a `sha256sum`-style line. */
export interface HashParams {
  readonly input: string;
  /** @default 'sha256' */
  readonly algorithm?: HashAlgorithm;
  /** When set, `"<hex>  <input>\n"` is written there (atomically). */
  readonly output?: string;
  readonly overwrite?: boolean;
}
/** What `hash` returns. */
export interface HashResult {
  readonly algorithm: HashAlgorithm;
  /** Lower-case hex. */
  readonly digest: string;
  /** Bytes read from the input. */
  readonly bytesIn: number;
  /** The absolute path of the checksum file, when `output` was given. */
  readonly output?: string;
}

/** Compression formats. */
export type CompressionFormat = 'gzip' | 'brotli';

/** `compress`: gzip (`.gz`) or brotli (`.br`). */
export interface CompressParams extends FileOutputParams {
  /** @default 'gzip' */
  readonly format?: CompressionFormat;
  /** gzip 1–9 (default 6), brotli 0–11 (default 11, as the `brotli` CLI). */
  readonly level?: number;
}

/** `decompress`: the format comes from `format`, else from the extension (`.gz`, `.br`). */
export interface DecompressParams extends FileOutputParams {
  readonly format?: CompressionFormat;
}

/** The operations node-runtime ships, by name: the queue's default {@link OperationMap}. */
export type BuiltinOperations = {
  readonly encrypt: OperationDefinition<EncryptParams, FileOutputResult, EncryptSecrets>;
  readonly decrypt: OperationDefinition<DecryptParams, FileOutputResult, DecryptSecrets>;
  readonly hash: OperationDefinition<HashParams, HashResult, undefined>;
  readonly compress: OperationDefinition<CompressParams, FileOutputResult, undefined>;
  readonly decompress: OperationDefinition<DecompressParams, FileOutputResult, undefined>;
};

/** Names of the built-in operations. */
export type BuiltinOperationName = keyof BuiltinOperations;
