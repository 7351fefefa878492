import { ERRNO_BY_CODE, type KwqmErrorCode } from './error-codes.js';
import { deliver } from './event-hub.js';
import type { ExecutionContext } from './executor.js';
import {
  type FinalJobState,
  isJobProgress,
  type JobProgress,
  type JobSnapshot,
  type JobState,
  type RunnableJob,
} from './job.js';
import { KwqmError, type SerializedKwqmError } from './kwqm-error.js';
import type { Priority } from './priority.js';
import type { Unsubscribe } from './queue-events.js';
import type { JobHandle } from './queue-service.js';

const noop = (): void => {};

interface Settlement {
  readonly promise: Promise<unknown>;
  resolve: ((value: unknown) => void) | undefined;
  reject: ((reason: unknown) => void) | undefined;
}

/** Shared by every job without progress listeners, so a job costs no array of its own. */
const NO_LISTENERS: ReadonlyArray<(progress: JobProgress) => void> = Object.freeze([]);

/**
 * Why a job was stopped (removed or canceled), kept as plain data: the `KwqmError` is made only
 * if someone reads the result, since capturing a stack trace would dominate the cost of a remove.
 */
export interface StopReason {
  readonly code: KwqmErrorCode;
  readonly message: string;
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

/** What a record needs from its queue, shared by all its records: one field instead of two. */
export interface JobRecordContext {
  /** Makes a job's id from its counter (the queue's `JobIdGenerator`). */
  idOf(counter: number): string;
  /** A queue time as the clock's time (the queue's {@link QueueTime}). */
  toClock(queueTime: number): number;
}

/**
 * What most jobs never use, kept out of the record until one does: a queue of 100 000 jobs then
 * holds 100 000 small records instead of large ones, which is most of what the garbage collector
 * copies while they wait.
 */
class RareJobFields {
  /** Memory only; private to the record so that logging a handle never prints them; dropped when the job ends. */
  secrets: unknown = undefined;
  label: string | undefined = undefined;
  progress: JobProgress | undefined = undefined;
  error: KwqmError | StopReason | undefined = undefined;
  /** What a succeeded job returned, when not `undefined`. */
  output: unknown = undefined;
  /** Created only when the executor reads `context.signal`. */
  controller: AbortController | undefined = undefined;
  cancelRequested = false;
  /** The handle's result, made on first read; resolvers only while the job has not ended. */
  settlement: Settlement | undefined = undefined;
  progressListeners: ReadonlyArray<(progress: JobProgress) => void> = NO_LISTENERS;
}

/**
 * Everything the queue knows about one job, and at the same time the submitter's
 * {@link JobHandle} (one object per job instead of two). Internal: callers see it typed as a
 * handle, and only ever get {@link JobRecord.snapshot} copies of its state.
 *
 * Kept small on purpose, since every field costs each waiting job 8 bytes that the garbage
 * collector copies, about 3 % of a 100 000-job burst per field (docs/performance-core.md): what
 * most jobs never use is in {@link RareJobFields}, a numbered job's id is made from its counter
 * when read, and one field serves as the time a queued job entered its level and the time a
 * started one started. Its times (`createdAt`, `enteredLevelAt`, `startedAt`, `finishedAt`) are
 * queue times (`QueueTime`): small integers stored in the record, not boxed numbers;
 * {@link JobRecord.snapshot} gives clock times.
 */
export class JobRecord implements JobHandle {
  /** The counter this queue numbered the job with, or the id of a job restored with its old id. */
  readonly #key: number | string;
  readonly #context: JobRecordContext;
  readonly operation: string;
  readonly params: unknown;
  priority: Priority;
  readonly createdAt: number;
  state: JobState = 'queued';
  /**
   * While queued: when the job entered its current level (aging measures from here). From
   * dispatch on: when it started. `undefined` once a job ended without starting. One field for
   * both, since a job is never queued and started at once.
   */
  #levelOrStartTime: number | undefined;
  /**
   * Links of the priority queue's lists while queued (see `PriorityQueueLinks`), and of the
   * scheduler's running list while running: a job is never in both.
   */
  queuePrevious: JobRecord | undefined = undefined;
  queueNext: JobRecord | undefined = undefined;
  queueLevel: number | undefined = undefined;
  finishedAt: number | undefined = undefined;
  #rare: RareJobFields | undefined = undefined;

  /**
   * @param idOrCounter - The job's id, or for an id this queue made, its counter.
   * @param createdAt - In queue time, as every time the record keeps.
   */
  constructor(
    idOrCounter: string | number,
    context: JobRecordContext,
    operation: string,
    params: unknown,
    secrets: unknown,
    priority: Priority,
    label: string | undefined,
    createdAt: number,
  ) {
    this.#key = idOrCounter;
    this.#context = context;
    this.operation = operation;
    this.params = params;
    this.priority = priority;
    this.createdAt = createdAt;
    this.#levelOrStartTime = createdAt;
    if (secrets !== undefined || label !== undefined) {
      const rare = this.#rareFields();
      rare.secrets = secrets;
      rare.label = label;
    }
  }

  get id(): string {
    const key = this.#key;
    return typeof key === 'string' ? key : this.#context.idOf(key);
  }

  /** The counter this queue numbered the job with, or -1 for a job restored with its old id. */
  get counter(): number {
    const key = this.#key;
    return typeof key === 'number' ? key : -1;
  }

  /** When a queued job entered its current level. */
  get enteredLevelAt(): number {
    return this.#levelOrStartTime as number;
  }

  set enteredLevelAt(time: number) {
    this.#levelOrStartTime = time;
  }

  /** When the job started; `undefined` while queued and for a job that never started. */
  get startedAt(): number | undefined {
    return this.state === 'queued' ? undefined : this.#levelOrStartTime;
  }

  /** Marks the job started (the scheduler sets `state` to `running` with it). */
  set startedAt(time: number) {
    this.#levelOrStartTime = time;
  }

  /** What the job returned, once it succeeded. */
  get output(): unknown {
    return this.#rare?.output;
  }

  get label(): string | undefined {
    return this.#rare?.label;
  }

  get progress(): JobProgress | undefined {
    return this.#rare?.progress;
  }

  /** The run's abort controller, once the executor read `context.signal`. */
  get controller(): AbortController | undefined {
    return this.#rare?.controller;
  }

  set controller(controller: AbortController) {
    this.#rareFields().controller = controller;
  }

  /** Set by {@link JobRecord.requestCancel} while running: the job ends when its executor returns. */
  get cancelRequested(): boolean {
    return this.#rare?.cancelRequested === true;
  }

  /**
   * Made on first read, so a submitter that never looks costs no promise. Marked handled
   * internally: ignoring it never raises an unhandled rejection, awaiting it still rejects.
   */
  get result(): Promise<unknown> {
    const rare = this.#rareFields();
    if (rare.settlement === undefined) {
      let promise: Promise<unknown>;
      let resolve: ((value: unknown) => void) | undefined;
      let reject: ((reason: unknown) => void) | undefined;
      if (this.state === 'succeeded') {
        promise = Promise.resolve(this.output);
      } else if (rare.error !== undefined) {
        promise = Promise.reject(this.error);
      } else {
        promise = new Promise((resolvePromise, rejectPromise) => {
          resolve = resolvePromise;
          reject = rejectPromise;
        });
      }
      promise.catch(noop);
      rare.settlement = { promise, resolve, reject };
    }
    return rare.settlement.promise;
  }

  onProgress(listener: (progress: JobProgress) => void): Unsubscribe {
    if (this.state !== 'queued' && this.state !== 'running') return noop;
    const rare = this.#rareFields();
    rare.progressListeners = [...rare.progressListeners, listener];
    return () => {
      rare.progressListeners = rare.progressListeners.filter((candidate) => candidate !== listener);
    };
  }

  /** Records progress and tells the handle's listeners. */
  reportProgress(progress: JobProgress): void {
    const rare = this.#rareFields();
    rare.progress = progress;
    if (rare.progressListeners.length > 0) deliver(rare.progressListeners, progress);
  }

  /** Ends the job with a result. */
  succeed(output: unknown, now: number): void {
    this.state = 'succeeded';
    // Most no-op and fire-and-forget jobs return nothing and so need no rare fields.
    if (output !== undefined) this.#rareFields().output = output;
    this.#rare?.settlement?.resolve?.(output);
    this.#end(now);
  }

  /**
   * Asks the running job's executor to stop: aborts its signal now, or on its first read. The job
   * stays `running` until the executor returns.
   */
  requestCancel(): void {
    const rare = this.#rareFields();
    rare.cancelRequested = true;
    rare.controller?.abort(toError(canceledReason(this.id)));
  }

  /**
   * Why a cancel-requested job ends `canceled`: the very error its signal was aborted with when
   * the executor read the signal, the plain reason (an error made only on demand) otherwise.
   */
  cancelReason(): KwqmError | StopReason {
    const reason: unknown = this.#rare?.controller?.signal.reason;
    if (reason instanceof KwqmError) return reason;
    return canceledReason(this.id);
  }

  /** Why the job ended, if it did not succeed; made from a {@link StopReason} on first read. */
  get error(): KwqmError | undefined {
    const rare = this.#rare;
    const error = rare?.error;
    if (rare === undefined || error === undefined) return undefined;
    if (error instanceof KwqmError) return error;
    rare.error = new KwqmError(error.code, error.message, { details: error.details });
    return rare.error;
  }

  /** Ends the job with an error (`failed`, `canceled` or `removed`), or the plain reason for one. */
  fail(state: Exclude<FinalJobState, 'succeeded'>, error: KwqmError | StopReason, now: number): void {
    // Removed or canceled while waiting: it never started.
    if (this.state === 'queued') this.#levelOrStartTime = undefined;
    this.state = state;
    const rare = this.#rareFields();
    rare.error = error;
    if (rare.settlement?.reject !== undefined) rare.settlement.reject(this.error);
    this.#end(now);
  }

  #end(now: number): void {
    this.finishedAt = now;
    const rare = this.#rare;
    if (rare === undefined) return;
    rare.secrets = undefined;
    rare.progressListeners = NO_LISTENERS;
    if (rare.settlement !== undefined) {
      rare.settlement.resolve = undefined;
      rare.settlement.reject = undefined;
    }
  }

  #rareFields(): RareJobFields {
    if (this.#rare === undefined) this.#rare = new RareJobFields();
    return this.#rare;
  }

  /** What the executor gets: the spec with its id and effective priority, plus the run context. */
  run(onProgress: (record: JobRecord, progress: JobProgress) => void): JobRun {
    return new JobRun(this, this.#rare?.secrets, onProgress);
  }

  /** Plain data for lists and events, with clock times; never holds secrets. */
  snapshot(): JobSnapshot {
    const context = this.#context;
    const snapshot: {
      -readonly [Key in keyof JobSnapshot]: JobSnapshot[Key];
    } = {
      id: this.id,
      operation: this.operation,
      params: this.params,
      priority: this.priority,
      state: this.state,
      createdAt: context.toClock(this.createdAt),
    };
    const rare = this.#rare;
    if (rare?.label !== undefined) snapshot.label = rare.label;
    if (this.startedAt !== undefined) snapshot.startedAt = context.toClock(this.startedAt);
    if (this.finishedAt !== undefined) snapshot.finishedAt = context.toClock(this.finishedAt);
    if (rare?.progress !== undefined) snapshot.progress = rare.progress;
    if (this.state === 'succeeded') snapshot.result = this.output;
    if (rare?.error !== undefined) snapshot.error = serialize(rare.error);
    if (rare?.cancelRequested === true && this.state === 'running') snapshot.cancelRequested = true;
    return snapshot;
  }
}

/** The reason a job ends `canceled`. */
export function canceledReason(id: string): StopReason {
  return { code: 'CANCELED', message: `Job \`${id}\` was canceled`, details: { id } };
}

function toError(reason: StopReason): KwqmError {
  return new KwqmError(reason.code, reason.message, { details: reason.details });
}

function serialize(error: KwqmError | StopReason): SerializedKwqmError {
  if (error instanceof KwqmError) return error.toJSON();
  const errno = ERRNO_BY_CODE[error.code];
  return {
    name: 'KwqmError',
    code: error.code,
    message: error.message,
    ...(errno === undefined ? {} : { errno }),
    details: error.details,
  };
}

/**
 * What the executor gets for one run, passed as both arguments of `run(job, context)`: one
 * object instead of two per job. Its own enumerable properties are exactly the
 * {@link RunnableJob} fields, so `postMessage`, `JSON.stringify` and spreading see plain job data;
 * `signal` and `reportProgress` are prototype getters, made on first read, so executors that
 * ignore them cost no `AbortController` and no closure.
 */
export class JobRun implements RunnableJob, ExecutionContext {
  readonly id: string;
  readonly operation: string;
  readonly params: unknown;
  readonly secrets: unknown;
  readonly priority: Priority;
  readonly #record: JobRecord;
  readonly #onProgress: (record: JobRecord, progress: JobProgress) => void;
  #report: ((progress: JobProgress) => void) | undefined = undefined;

  constructor(
    record: JobRecord,
    secrets: unknown,
    onProgress: (record: JobRecord, progress: JobProgress) => void,
  ) {
    this.id = record.id;
    this.operation = record.operation;
    this.params = record.params;
    this.secrets = secrets;
    this.priority = record.priority;
    this.#record = record;
    this.#onProgress = onProgress;
  }

  get signal(): AbortSignal {
    const record = this.#record;
    if (record.controller === undefined) {
      record.controller = new AbortController();
      // Canceled before anyone looked: the signal must still read as aborted.
      if (record.cancelRequested) record.controller.abort(toError(canceledReason(record.id)));
      else if (record.state !== 'running') record.controller.abort(record.error);
    }
    return record.controller.signal;
  }

  get reportProgress(): (progress: JobProgress) => void {
    if (this.#report === undefined) {
      const record = this.#record;
      const onProgress = this.#onProgress;
      this.#report = (progress) => {
        if (isJobProgress(progress)) onProgress(record, progress);
      };
    }
    return this.#report;
  }
}
