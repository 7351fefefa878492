import { ERRNO_BY_CODE, type KwqmErrorCode } from './error-codes.js';
import { deliver } from './event-hub.js';
import type { ExecutionContext } from './executor.js';
import type { FinalJobState, JobProgress, JobSnapshot, JobState, RunnableJob } from './job.js';
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

/** Makes a job's id from its counter (the queue's {@link JobIdGenerator}). */
export interface JobIdMaker {
  idOf(counter: number): string;
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
 * Kept small on purpose (see {@link RareJobFields}); the id of a job the queue numbered itself is
 * made on first read, so a queued job holds no string of its own.
 */
export class JobRecord implements JobHandle {
  /** The counter this queue numbered the job with, or -1 for a job restored with its old id. */
  readonly counter: number;
  /** The id, made from the counter on first read for a job this queue numbered. */
  #id: string | undefined;
  readonly #idMaker: JobIdMaker | undefined;
  readonly operation: string;
  readonly params: unknown;
  priority: Priority;
  readonly createdAt: number;
  state: JobState = 'queued';
  /** When the job entered its current level (aging measures from here). */
  enteredLevelAt: number;
  /**
   * Links of the priority queue's lists while queued (see `PriorityQueueLinks`), and of the
   * scheduler's running list while running: a job is never in both.
   */
  queuePrevious: JobRecord | undefined = undefined;
  queueNext: JobRecord | undefined = undefined;
  queueLevel: number | undefined = undefined;
  startedAt: number | undefined = undefined;
  finishedAt: number | undefined = undefined;
  output: unknown = undefined;
  #rare: RareJobFields | undefined = undefined;

  /**
   * @param idOrCounter - The job's id, or for an id this queue made, its counter and `idMaker`.
   */
  constructor(
    idOrCounter: string | number,
    idMaker: JobIdMaker | undefined,
    operation: string,
    params: unknown,
    secrets: unknown,
    priority: Priority,
    label: string | undefined,
    createdAt: number,
  ) {
    if (typeof idOrCounter === 'string') {
      this.counter = -1;
      this.#id = idOrCounter;
    } else {
      this.counter = idOrCounter;
      this.#id = undefined;
    }
    this.#idMaker = idMaker;
    this.operation = operation;
    this.params = params;
    this.priority = priority;
    this.createdAt = createdAt;
    this.enteredLevelAt = createdAt;
    if (secrets !== undefined || label !== undefined) {
      const rare = this.#rareFields();
      rare.secrets = secrets;
      rare.label = label;
    }
  }

  get id(): string {
    if (this.#id === undefined) this.#id = (this.#idMaker as JobIdMaker).idOf(this.counter);
    return this.#id;
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
    this.output = output;
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

  /** Plain data for lists and events; never holds secrets. */
  snapshot(): JobSnapshot {
    const snapshot: {
      -readonly [Key in keyof JobSnapshot]: JobSnapshot[Key];
    } = {
      id: this.id,
      operation: this.operation,
      params: this.params,
      priority: this.priority,
      state: this.state,
      createdAt: this.createdAt,
    };
    const rare = this.#rare;
    if (rare?.label !== undefined) snapshot.label = rare.label;
    if (this.startedAt !== undefined) snapshot.startedAt = this.startedAt;
    if (this.finishedAt !== undefined) snapshot.finishedAt = this.finishedAt;
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
      this.#report = (progress) => onProgress(record, progress);
    }
    return this.#report;
  }
}
