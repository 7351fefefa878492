import type { JobProgress } from '@kwqm/core';

/** What a running operation gets besides its params and secrets. */
export interface OperationContext {
  /** Aborted when the job is canceled; the operation stops between blocks and rejects with `signal.reason`. */
  readonly signal: AbortSignal;
  /**
   * Reports progress (`{ done: bytesIn, total: inputSize, unit: 'bytes' }` for file operations).
   * Cheap to call per block: the pool rate-limits what it forwards.
   */
  reportProgress(progress: JobProgress): void;
}

/**
 * One named unit of work the pool can run: a plain async function of params and secrets.
 * Secrets are memory-only (passphrases, private keys): an operation never logs or returns them.
 * A rejection should be a `KwqmError`; the pool wraps anything else as `OPERATION_FAILED`.
 */
export interface Operation<Params, Result, Secrets = undefined> {
  /** The name jobs refer to (`encrypt`, `hash`, …). */
  readonly name: string;
  run(params: Params, secrets: Secrets | undefined, context: OperationContext): Promise<Result>;
}

/** An operation with its types erased, as a registry holds it. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds operations of every shape
export type AnyOperation = Operation<any, any, any>;

/** Declares an operation; an identity function that checks the shape and keeps the types. */
export function defineOperation<Params, Result, Secrets = undefined>(
  operation: Operation<Params, Result, Secrets>,
): Operation<Params, Result, Secrets> {
  return operation;
}
