import { type Clock, type CloseOptions, KwqmError, type OperationMap, WorkQueue } from '@kwqm/core';
import type { BuiltinOperations } from './operations/builtin-operation-types.js';
import { checkKnownKeys, checkOptionalInteger } from './pool/option-checks.js';
import { WorkerPool } from './pool/worker-pool.js';

/** Options of {@link createKwqmQueue}. Every field is optional and validated at once (`INVALID_OPTION`). */
export interface KwqmQueueOptions {
  /** Worker threads, and so the number of jobs running at once. An integer from 1 to 1024. @default os.availableParallelism() */
  readonly workers?: number;
  /** Queued (not running) jobs before producers wait. An integer >= 1 or `Infinity`. @default Infinity */
  readonly capacity?: number;
  /** Producers that may wait for room; the next gets `QUEUE_FULL`. An integer >= 0 or `Infinity`. @default Infinity */
  readonly maxWaitingProducers?: number;
  /** A queued job moves up one level after waiting this long (ms); `undefined` turns aging off. @default undefined */
  readonly agingMs?: number | undefined;
  /** Finished jobs remembered by `list({ includeFinished })` and `get()`. An integer >= 0. @default 1000 */
  readonly historyLimit?: number;
  /** Custom operation modules the workers load (see docs/guides/custom-operations.md). @default [] */
  readonly operations?: readonly (URL | string)[];
  /** The worker entry, when this package is bundled (see docs/guides/bundling.md). @default dist/worker.js beside the built package */
  readonly workerUrl?: URL | string;
  /** How long a canceled job may take to stop before its worker is terminated and replaced (ms). @default 2000 */
  readonly cancelGracePeriodMs?: number;
  /** The first part of every job id; give a journal's to continue its series. @default six random base-36 characters */
  readonly idPrefix?: string;
  /** Where the queue gets time from (aging, timestamps). @default systemClock */
  readonly clock?: Clock;
}

const OPTION_NAMES = [
  'workers',
  'capacity',
  'maxWaitingProducers',
  'agingMs',
  'historyLimit',
  'operations',
  'workerUrl',
  'cancelGracePeriodMs',
  'idPrefix',
  'clock',
] as const;

/**
 * A {@link WorkQueue} that runs its jobs on its own {@link WorkerPool}: what
 * {@link createKwqmQueue} returns. Everything but `close` is the core queue's.
 */
export class KwqmQueue<Ops extends OperationMap = BuiltinOperations> extends WorkQueue<Ops> {
  /** The worker threads behind this queue. */
  readonly pool: WorkerPool;

  constructor(
    pool: WorkerPool,
    options: Omit<KwqmQueueOptions, 'workers' | 'operations' | 'workerUrl' | 'cancelGracePeriodMs'>,
  ) {
    super({ ...options, executor: pool, concurrency: pool.size });
    this.pool = pool;
  }

  /**
   * Closes the queue (see {@link WorkQueue.close}: with `cancelPending` jobs are canceled,
   * otherwise they finish), then terminates the worker threads.
   */
  override async close(options?: CloseOptions): Promise<void> {
    await super.close(options);
    await this.pool.close();
  }
}

/**
 * A ready queue: the core priority queue with throttling, a worker-thread pool of `workers`
 * threads (concurrency = workers), the built-in operations (encrypt, decrypt, hash, compress,
 * decompress) and any custom operation modules. Threads start on the first jobs; call `close()`
 * when done. Name the custom operations' types with the type parameter:
 * `createKwqmQueue<{ resize: OperationDefinition<ResizeParams, ResizeResult> }>({ operations: [url] })`.
 */
export function createKwqmQueue<Custom extends OperationMap = Record<never, never>>(
  options: KwqmQueueOptions = {},
): KwqmQueue<BuiltinOperations & Custom> {
  if (typeof options !== 'object' || options === null) {
    throw new KwqmError(
      'INVALID_OPTION',
      `Expected \`options\` to be an object, got \`${String(options)}\` (${typeof options})`,
    );
  }
  checkKnownKeys('createKwqmQueue', options, OPTION_NAMES);
  checkOptionalInteger('workers', options.workers, 1, 1024);
  const { workers, operations, workerUrl, cancelGracePeriodMs, ...queueOptions } = options;
  // The pool checks its options and starts no thread yet, so a bad queue option below leaks nothing.
  const pool = new WorkerPool({
    ...(workers === undefined ? {} : { size: workers }),
    ...(operations === undefined ? {} : { operations }),
    ...(workerUrl === undefined ? {} : { workerUrl }),
    ...(cancelGracePeriodMs === undefined ? {} : { cancelGracePeriodMs }),
  });
  return new KwqmQueue<BuiltinOperations & Custom>(pool, queueOptions);
}
