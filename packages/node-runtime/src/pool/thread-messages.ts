import type { JobProgress, SerializedKwqmError } from '@kwqm/core';

// The protocol between the pool (main thread) and one worker thread. Exactly one message goes
// each way per task on the happy path (`run` → `done`), so a task costs one structured clone of
// its params and one of its result; progress and abort are the only extras.
//
// Both sides count one worker's runs: the n-th run message a worker gets is its task n, so a run
// needs no id, and abort, progress and failure name the task by that number. A tiny task costs
// mostly the cloning of its two messages (an object costs ~5 µs more per crossing than a number
// here), so a run that repeats the worker's previous operation with primitive params and no
// secrets is sent as the bare params, and a primitive result comes back bare.

/** A value that crosses alone: the params of a repeated run, or a result. */
export type BareValue = string | number | boolean | bigint | null | undefined;

/** True for values sent bare (anything but objects, functions and symbols). */
export function isBareValue(value: unknown): value is BareValue {
  const type = typeof value;
  return value === null || (type !== 'object' && type !== 'function' && type !== 'symbol');
}

/** Data every worker gets at start through `workerData`. */
export interface WorkerStartData {
  /** `href`s of custom operation modules each worker `import()`s before running its first task. */
  readonly operationModules: readonly string[];
}

/** Main → worker: run one operation (a bare value instead runs the previous operation again with it as params). */
export interface RunTaskMessage {
  readonly type: 'run';
  readonly operation: string;
  readonly params: unknown;
  readonly secrets: unknown;
}

/** Main → worker: the task's signal aborted; the worker aborts the operation's own signal with `reason`. */
export interface AbortTaskMessage {
  readonly type: 'abort';
  /** The worker's run number of the task. */
  readonly taskId: number;
  readonly reason: SerializedKwqmError;
}

/** Worker → main: the operation resolved (with a result that is not a {@link BareValue}). */
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

/**
 * Worker → main: the task created this temporary output file. The pool removes it should it have
 * to terminate the worker before the task ends (a terminated thread cleans up nothing); once the
 * task commits or aborts its output, the file is gone and removing it is a no-op.
 */
export interface TaskTempFileMessage {
  readonly type: 'temp-file';
  readonly taskId: number;
  readonly path: string;
}

/** Everything the pool sends to a worker. */
export type ToWorkerMessage = RunTaskMessage | AbortTaskMessage | BareValue;

/** Everything a worker sends to the pool (a bare value: the current task resolved with it). */
export type FromWorkerMessage =
  | TaskDoneMessage
  | TaskFailedMessage
  | TaskProgressMessage
  | TaskTempFileMessage
  | BareValue;
