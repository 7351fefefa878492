// The public API of @kwqm/node-runtime, grouped by room. Groups are separated by blank lines so
// the formatter sorts inside a group only.

// The queue, ready to use

export type { KwqmQueueOptions } from './create-kwqm-queue.js';
export { createKwqmQueue, KwqmQueue } from './create-kwqm-queue.js';

// pool — worker threads behind core's Executor port

export { WorkerPool } from './pool/worker-pool.js';
export type { WorkerPoolOptions } from './pool/worker-pool-options.js';

// operations — the contract, the registry and the built-ins (also runnable in-process)

export type {
  BuiltinOperationName,
  BuiltinOperations,
  CompressionFormat,
  CompressParams,
  DecompressParams,
  DecryptParams,
  DecryptSecrets,
  EncryptParams,
  EncryptSecrets,
  FileOutputParams,
  FileOutputResult,
  HashAlgorithm,
  HashParams,
  HashResult,
} from './operations/builtin-operation-types.js';
export { COMPRESSION_EXTENSIONS, COMPRESSION_LEVELS, compress } from './operations/compress.js';
export { decompress } from './operations/decompress.js';
export { decrypt } from './operations/decrypt.js';
export { encrypt } from './operations/encrypt.js';
export { checksumLine, HASH_ALGORITHMS, hash } from './operations/hash.js';
export type { AnyOperation, Operation, OperationContext } from './operations/operation.js';
export { defineOperation } from './operations/operation.js';
export type { OperationRegistry } from './operations/operation-registry.js';
export { builtinOperations, isOperation, loadOperationRegistry } from './operations/operation-registry.js';

// age — keys, and encryption in memory or as block transforms (files go through encrypt/decrypt)

export type { AgeDecryptOptions } from './age/age-decryptor.js';
export { createAgeDecryptor, decryptBytes } from './age/age-decryptor.js';
export type { AgeEncryptOptions } from './age/age-encryptor.js';
export { createAgeEncryptor, encryptBytes } from './age/age-encryptor.js';
export type { AgeKeyPair, WriteIdentityFileOptions } from './operations/keygen.js';
export {
  formatIdentityFile,
  generateIdentity,
  identityToRecipient,
  parseIdentities,
  writeIdentityFile,
} from './operations/keygen.js';

// files — safe file I/O for custom operations: input checks, atomic output, the block runner

export type { AtomicOutput, AtomicOutputOptions } from './files/atomic-output.js';
export { openAtomicOutput } from './files/atomic-output.js';
export type { ChunkTransform } from './files/chunk-transform.js';
export { chainTransforms } from './files/chunk-transform.js';
export type { OpenedInput, OpenInputOptions } from './files/open-input.js';
export { openInput } from './files/open-input.js';
export type { TransformFileOptions, TransformFileResult } from './files/transform-file.js';
export { transformFile } from './files/transform-file.js';

// daemon — the background process on a Unix socket and its client (a QueueService too)

export type { ConnectOrStartOptions } from './daemon/connect-or-start.js';
export { connectOrStart } from './daemon/connect-or-start.js';
export type { DaemonClientOptions } from './daemon/daemon-client.js';
export { DaemonClient } from './daemon/daemon-client.js';
export type { DaemonPaths, DaemonPathsOptions } from './daemon/daemon-paths.js';
export { resolveDaemonPaths } from './daemon/daemon-paths.js';
export type { KwqmDaemonOptions } from './daemon/kwqm-daemon.js';
export { KwqmDaemon } from './daemon/kwqm-daemon.js';
