import type { BuiltinOperationName } from '@kwqm/node-runtime';

/** The operations the Explorer menu offers, in menu order. */
export const FILE_OPERATIONS = [
  'encrypt',
  'decrypt',
  'hash',
  'compress',
  'decompress',
] as const satisfies readonly BuiltinOperationName[];

/** One of {@link FILE_OPERATIONS}. */
export type FileOperation = (typeof FILE_OPERATIONS)[number];

/** What people read for an operation: a verb for menus and a past tense for notifications. */
export const OPERATION_WORDING: Readonly<
  Record<FileOperation, { verb: string; done: string; noun: string }>
> = {
  encrypt: { verb: 'Encrypt', done: 'Encrypted', noun: 'encryption' },
  decrypt: { verb: 'Decrypt', done: 'Decrypted', noun: 'decryption' },
  hash: { verb: 'Hash', done: 'Hashed', noun: 'hash' },
  compress: { verb: 'Compress', done: 'Compressed', noun: 'compression' },
  decompress: { verb: 'Decompress', done: 'Decompressed', noun: 'decompression' },
};

/** True when `value` is one of {@link FILE_OPERATIONS}. */
export function isFileOperation(value: unknown): value is FileOperation {
  return typeof value === 'string' && (FILE_OPERATIONS as readonly string[]).includes(value);
}
