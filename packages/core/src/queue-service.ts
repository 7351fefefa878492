import type { AnyOperationMap, JobProgress, JobSnapshot, JobSpec, OperationMap } from './job.js';
import type { Priority } from './priority.js';
import type { QueueEvent, Unsubscribe } from './queue-events.js';

/** Options of a submit. */
export interface SubmitOptions {
  /** Aborting it while the submit waits for room rejects the submit with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Options of a listing. */
export interface ListOptions {
  /** Include finished jobs from the bounded history. @default false */
  readonly includeFinished?: boolean;
}

/** What the submitter holds for one accepted job: its id, its result and its progress. */
export interface JobHandle<Result = unknown> {
  /** The id the queue assigned. */
  readonly id: string;
  /**
   * Settles when the job ends: resolves with the operation's result, rejects with a `KwqmError`
   * (`code` `CANCELED` or `REMOVED` when the job was stopped, the operation's code when it failed).
   */
  readonly result: Promise<Result>;
  /** Calls `listener` for each progress report of this job until it ends or is unsubscribed. */
  onProgress(listener: (progress: JobProgress) => void): Unsubscribe;
}

/**
 * The queue as every adapter sees it — the in-process queue and the daemon client alike — so
 * the CLI and the editor drive either the same way. Management calls mirror the original
 * module's: remove, change priority and list queued jobs; plus cancel for running ones.
 */
export interface QueueService<Ops extends OperationMap = AnyOperationMap> {
  /** Accepts a job, waiting while the queue is full; rejects with `QUEUE_FULL` past the producer limit. */
  submit(spec: JobSpec<Ops>, options?: SubmitOptions): Promise<JobHandle>;
  /** Takes a queued job out; it ends `removed`. `JOB_NOT_FOUND` / `INVALID_STATE` otherwise. */
  remove(id: string): Promise<JobSnapshot>;
  /** Moves a queued job to the tail of another level. `JOB_NOT_FOUND` / `INVALID_STATE` otherwise. */
  setPriority(id: string, priority: Priority): Promise<JobSnapshot>;
  /**
   * Stops a queued or running job. A queued one ends `canceled` at once. A running one has its
   * signal aborted and stays `running` with `cancelRequested` until its executor returns, then
   * ends `canceled` (or `succeeded`, if the work finished anyway): wait for its final event or
   * result to know the work has stopped. Resolves with the snapshot right after the request.
   */
  cancel(id: string): Promise<JobSnapshot>;
  /** Running jobs, then queued ones in dispatch order, then (optionally) finished ones, newest first. */
  list(options?: ListOptions): Promise<JobSnapshot[]>;
  /** One job, from the live queue or the history; `undefined` when unknown. */
  get(id: string): Promise<JobSnapshot | undefined>;
  /** Calls `listener` for every event of every job until unsubscribed. */
  subscribe(listener: (event: QueueEvent) => void): Unsubscribe;
}
