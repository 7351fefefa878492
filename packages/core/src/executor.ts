import type { JobProgress, RunnableJob } from './job.js';

/** What an executor gets besides the job: a way to learn it should stop, and to report progress. */
export interface ExecutionContext {
  /** Aborted when the job is canceled or the queue closes with `cancelPending`. */
  readonly signal: AbortSignal;
  /** Reports progress; the queue forwards it to the job's handle and to event subscribers. */
  reportProgress(progress: JobProgress): void;
}

/**
 * The port the scheduler runs jobs on. In-process functions, a worker-thread pool
 * (`@kwqm/node-runtime`) or a remote worker fleet all fit. A rejection should be a `KwqmError`;
 * anything else is wrapped as `OPERATION_FAILED`.
 */
export interface Executor {
  run(job: RunnableJob, context: ExecutionContext): Promise<unknown>;
}
