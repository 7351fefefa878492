import type { SerializedKwqmError } from './kwqm-error.js';
import type { Priority } from './priority.js';

/** Where a job is in its life. `queued → running → succeeded | failed | canceled`; `removed` only from `queued`. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled' | 'removed';

/** The states a job never leaves. */
export type FinalJobState = 'succeeded' | 'failed' | 'canceled' | 'removed';

/** True when `state` is final: the job will not change again. */
export function isFinalState(state: JobState): state is FinalJobState {
  return state !== 'queued' && state !== 'running';
}

/**
 * What one operation takes and gives. `secrets` (passphrases, private keys) travel beside the
 * params but are held in memory only: never listed, journaled, logged or sent to other clients.
 */
export interface OperationDefinition<Params = unknown, Result = unknown, Secrets = undefined> {
  readonly params: Params;
  readonly result: Result;
  readonly secrets: Secrets;
}

/** The operations a queue accepts, by name. Tools define their own map; node-runtime ships one. */
export type OperationMap = { readonly [operation: string]: OperationDefinition<unknown, unknown, unknown> };

/** The loosest map: any operation name, unknown params and results. */
export type AnyOperationMap = Record<string, OperationDefinition<unknown, unknown, unknown>>;

/** Operation names of a map, as strings. */
export type OperationName<Ops extends OperationMap> = keyof Ops & string;

/** Progress a running job reports. `done` and `total` count `unit`s (bytes for file operations). */
export interface JobProgress {
  readonly done: number;
  readonly total?: number;
  readonly unit?: string;
}

/**
 * True for a report the queue passes on: `done` a finite number, `total` one too or absent, `unit`
 * a string or absent. Anything else is dropped where it is reported, because progress goes into
 * snapshots, events and the daemon's stream, where one `{ done: 'x' }` from a custom operation
 * would make every client's parser drop its connection.
 */
export function isJobProgress(value: unknown): value is JobProgress {
  if (typeof value !== 'object' || value === null) return false;
  const { done, total, unit } = value as { done?: unknown; total?: unknown; unit?: unknown };
  return (
    typeof done === 'number' &&
    Number.isFinite(done) &&
    (total === undefined || (typeof total === 'number' && Number.isFinite(total))) &&
    (unit === undefined || typeof unit === 'string')
  );
}

/** What a producer submits: one operation with its params, secrets and priority. */
export type JobSpec<Ops extends OperationMap = AnyOperationMap> = {
  [Op in OperationName<Ops>]: {
    readonly operation: Op;
    readonly params: Ops[Op]['params'];
    /** Held in memory only; see {@link OperationDefinition}. */
    readonly secrets?: Ops[Op]['secrets'];
    /** @default 'medium' */
    readonly priority?: Priority;
    /** A short human label for lists and notifications (e.g. the file name). */
    readonly label?: string;
  };
}[OperationName<Ops>];

/** What an executor receives to run: the spec with its assigned id and effective priority. */
export interface RunnableJob<Params = unknown, Secrets = unknown> {
  readonly id: string;
  readonly operation: string;
  readonly params: Params;
  readonly secrets: Secrets | undefined;
  readonly priority: Priority;
}

/**
 * A job as `list()`, `get()` and events show it: plain data, safe to serialise and send to any
 * client. Never holds secrets.
 */
export interface JobSnapshot<Op extends string = string, Params = unknown, Result = unknown> {
  /** Assigned by the queue; unique for the queue's life and usable as a string key across processes. */
  readonly id: string;
  readonly operation: Op;
  readonly params: Params;
  readonly priority: Priority;
  readonly state: JobState;
  readonly label?: string;
  /** Clock time (ms) when the job was accepted into the queue. */
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly progress?: JobProgress;
  /** Set when `state` is `succeeded`. */
  readonly result?: Result;
  /** Set when `state` is `failed` or `canceled`. */
  readonly error?: SerializedKwqmError;
  /**
   * Set (to `true`) only while `state` is `running` and the job was canceled: its executor's signal
   * is aborted and the queue waits for the executor to return. The job then ends `canceled`, or
   * `succeeded` if the work finished before it could stop. Views may show it as "canceling".
   */
  readonly cancelRequested?: true;
}
