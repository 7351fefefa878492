import type { JobProgress, SerializedKwqmError } from '@kwqm/core';

// The protocol between the pool (main thread) and one worker thread. Exactly one message goes
// each way per task on the happy path (`run` → `done`), so a task costs one structured clone of
// its params and one of its result; progress and abort are the only extras.

/** Data every worker gets at start through `workerData`. */
export interface WorkerStartData {
  /** `href`s of custom operation modules each worker `import()`s before running its first task. */
  readonly operationModules: readonly string[];
}

/** Main → worker: run one operation. `taskId` is the pool's, unique per pool, not the job id. */
export interface RunTaskMessage {
  readonly type: 'run';
  readonly taskId: number;
  readonly operation: string;
  readonly params: unknown;
  readonly secrets: unknown;
}

/** Main → worker: the task's signal aborted; the worker aborts the operation's own signal with `reason`. */
export interface AbortTaskMessage {
  readonly type: 'abort';
  readonly taskId: number;
  readonly reason: SerializedKwqmError;
}

/** Worker → main: the operation resolved. */
export interface TaskDoneMessage {
  readonly type: 'done';
  readonly taskId: number;
  readonly result: unknown;
}

/** Worker → main: the operation rejected; the error crossed as `KwqmError.toJSON()`. */
export interface TaskFailedMessage {
  readonly type: 'failed';
  readonly taskId: number;
  readonly error: SerializedKwqmError;
}

/** Worker → main: progress, already rate-limited in the worker. */
export interface TaskProgressMessage {
  readonly type: 'progress';
  readonly taskId: number;
  readonly progress: JobProgress;
}

/** Everything the pool sends to a worker. */
export type ToWorkerMessage = RunTaskMessage | AbortTaskMessage;

/** Everything a worker sends to the pool. */
export type FromWorkerMessage = TaskDoneMessage | TaskFailedMessage | TaskProgressMessage;
