import { type Clock, systemClock } from './clock.js';
import { invalidOption } from './describe-value.js';
import type { Executor } from './executor.js';
import type { AnyOperationMap, OperationMap } from './job.js';

/**
 * An {@link Executor} that also names the operations it runs, at the type level only, so
 * `new WorkQueue({ executor })` infers the queue's operation map (see `functionExecutor`).
 */
export interface TypedExecutor<Ops extends OperationMap = AnyOperationMap> extends Executor {
  /** Type-level only; never set at run time. */
  readonly '~operations'?: Ops;
}

/** Options of a {@link WorkQueue}. All are validated when the queue is made. */
export interface WorkQueueOptions<Ops extends OperationMap = AnyOperationMap> {
  /** Runs the jobs: in-process functions, a worker-thread pool, anything that fits the port. */
  readonly executor: TypedExecutor<Ops>;
  /**
   * How many jobs run at once. An integer >= 1.
   * @default 1
   */
  readonly concurrency?: number;
  /**
   * How many jobs may be queued (waiting, not running) before producers wait. Running jobs do
   * not count: as in the original, the limit is on the queue itself. An integer >= 1 or `Infinity`.
   * @default Infinity
   */
  readonly capacity?: number;
  /**
   * How many producers may wait for room; the next one gets `QUEUE_FULL` (errno `ENOSPC`) at
   * once. `0` turns every submit to a full queue away. An integer >= 0 or `Infinity`.
   * @default Infinity
   */
  readonly maxWaitingProducers?: number;
  /**
   * After waiting this long at its level, a queued job moves up one level (to the tail), so a
   * stream of high jobs cannot starve low ones forever. A number > 0 (ms), or `undefined` for no aging.
   * @default undefined (off, as in the original)
   */
  readonly agingMs?: number | undefined;
  /**
   * How many finished jobs `list({ includeFinished: true })` and `get()` remember. An integer >= 0.
   * @default 1000
   */
  readonly historyLimit?: number;
  /**
   * Where time comes from. Tests pass a `ManualClock`.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * The first part of every job id (`<idPrefix>-<counter>`). 1–64 characters of `A-Z a-z 0-9 . _ -`.
   * Give the one a journal recorded to keep ids of restored and new jobs in one series.
   * @default six random base-36 characters
   */
  readonly idPrefix?: string;
}

/** Options after validation and defaults. */
export interface ResolvedWorkQueueOptions {
  readonly executor: Executor;
  readonly concurrency: number;
  readonly capacity: number;
  readonly maxWaitingProducers: number;
  readonly agingMs: number | undefined;
  readonly historyLimit: number;
  readonly clock: Clock;
  readonly idPrefix: string | undefined;
}

function isIntegerAtLeast(value: unknown, minimum: number, allowInfinity: boolean): boolean {
  if (typeof value !== 'number') return false;
  if (value === Number.POSITIVE_INFINITY) return allowInfinity;
  return Number.isInteger(value) && value >= minimum;
}

/** Every option name; any other is refused, since a mistyped one would silently do nothing. */
const OPTION_NAMES: ReadonlySet<string> = new Set([
  'executor',
  'concurrency',
  'capacity',
  'maxWaitingProducers',
  'agingMs',
  'historyLimit',
  'clock',
  'idPrefix',
]);

/** Validates options at once, in the house message shape; throws `INVALID_OPTION`. */
export function resolveWorkQueueOptions(options: WorkQueueOptions<OperationMap>): ResolvedWorkQueueOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidOption('options', 'an object', options);
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      const known = [...OPTION_NAMES].map((known) => `\`${known}\``).join(', ');
      throw invalidOption(
        name,
        `absent: \`WorkQueue\` options are ${known}`,
        (options as unknown as Record<string, unknown>)[name],
      );
    }
  }
  const {
    executor,
    concurrency = 1,
    capacity = Number.POSITIVE_INFINITY,
    maxWaitingProducers = Number.POSITIVE_INFINITY,
    agingMs,
    historyLimit = 1000,
    clock = systemClock,
    idPrefix,
  } = options;
  if (typeof executor !== 'object' || executor === null || typeof executor.run !== 'function') {
    throw invalidOption('executor', 'an object with a `run` method', executor);
  }
  if (!isIntegerAtLeast(concurrency, 1, false)) {
    throw invalidOption('concurrency', 'an integer >= 1', concurrency);
  }
  if (!isIntegerAtLeast(capacity, 1, true)) {
    throw invalidOption('capacity', 'an integer >= 1 or Infinity', capacity);
  }
  if (!isIntegerAtLeast(maxWaitingProducers, 0, true)) {
    throw invalidOption('maxWaitingProducers', 'an integer >= 0 or Infinity', maxWaitingProducers);
  }
  if (agingMs !== undefined && !(typeof agingMs === 'number' && agingMs > 0 && Number.isFinite(agingMs))) {
    throw invalidOption('agingMs', 'a finite number > 0 or undefined', agingMs);
  }
  if (!isIntegerAtLeast(historyLimit, 0, false)) {
    throw invalidOption('historyLimit', 'an integer >= 0', historyLimit);
  }
  if (
    typeof clock !== 'object' ||
    clock === null ||
    typeof clock.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw invalidOption('clock', 'an object with `now`, `setTimeout` and `clearTimeout` methods', clock);
  }
  if (idPrefix !== undefined && !(typeof idPrefix === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(idPrefix))) {
    throw invalidOption('idPrefix', '1–64 characters of A-Z a-z 0-9 . _ -', idPrefix);
  }
  return { executor, concurrency, capacity, maxWaitingProducers, agingMs, historyLimit, clock, idPrefix };
}
