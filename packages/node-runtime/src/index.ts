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
export type { AnyOperation, Operation, OperationContext } from './operations/operation.js';
export { defineOperation } from './operations/operation.js';
export type { OperationRegistry } from './operations/operation-registry.js';
export { builtinOperations, isOperation, loadOperationRegistry } from './operations/operation-registry.js';
export type { WorkerPoolOptions } from './pool/worker-pool.js';
export { WorkerPool } from './pool/worker-pool.js';
