import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { type ExecutionContext, type Executor, KwqmError, type RunnableJob } from '@kwqm/core';
import {
  type FromWorkerMessage,
  isBareValue,
  type ToWorkerMessage,
  type WorkerStartData,
} from './thread-messages.js';
import { resolveWorkerPoolOptions, type WorkerPoolOptions } from './worker-pool-options.js';

/**
 * How often the pool looks at the signals of running jobs it does not watch yet (ms). A job's
 * signal is first read once the job has run through one whole interval, so a job shorter than
 * that never makes the queue create an AbortSignal (the costliest part of a tiny job on the main
 * thread); a longer one is watched from then on, and a cancel reaches it within two intervals.
 */
const WATCH_INTERVAL_MS = 20;

/** One job in flight on one thread. */
interface Task {
  /** The thread's run number of this task (see thread-messages.ts). */
  readonly id: number;
  readonly context: ExecutionContext;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: KwqmError) => void;
  readonly onAbort: () => void;
  /** The pool's watch tick when the task started. */
  readonly startTick: number;
  /** Listening to the signal's `abort` event. */
  watched: boolean;
  graceTimer: NodeJS.Timeout | undefined;
  /** Temporary output files the task created (its worker said so), removed if the worker is terminated. */
  tempFiles: string[] | undefined;
}

/** One worker thread and the task it runs, if any. */
interface Thread {
  readonly worker: Worker;
  task: Task | undefined;
  /**
   * The task the worker's temp-file reports belong to: the running one. Unlike `task` it stays
   * set while the worker is terminated, because a report posted just before is delivered later
   * (Node drains a worker's messages before its `exit`) and its file must still be removed.
   */
  tempFileOwner: Task | undefined;
  /** Set once the pool decided to terminate it; its `exit` is then expected. */
  retiring: boolean;
  /** The uncaught error the worker reported before exiting, for the crash's `cause`. */
  crash: Error | undefined;
  /** Run messages posted to this worker; the worker counts them alike. */
  runs: number;
  /** The operation of the last run posted: a repeat of it may go as bare params. */
  lastOperation: string | undefined;
}

/**
 * Runs jobs on worker threads: the `Executor` node-runtime plugs into the core queue. One job per
 * thread at a time and no queue of its own — the core queue (concurrency = {@link WorkerPool.size})
 * decides what runs next, so priority order and remove/cancel of queued jobs stay there. A
 * canceled job's operation sees an aborted `AbortSignal` in its worker; one that does not stop
 * within the grace period has its worker terminated and replaced. A worker that dies fails only
 * its own job, with `WORKER_CRASHED`. Errors cross the thread with their code.
 */
export class WorkerPool implements Executor {
  readonly #size: number;
  readonly #workerUrl: URL;
  readonly #startData: WorkerStartData;
  readonly #cancelGracePeriodMs: number;
  readonly #resourceLimits: WorkerPoolOptions['resourceLimits'];
  readonly #execArgv: readonly string[] | undefined;
  readonly #threads = new Set<Thread>();
  readonly #idle: Thread[] = [];
  #closed = false;
  #watchTick = 0;
  #watchTimer: NodeJS.Timeout | undefined;

  constructor(options: WorkerPoolOptions = {}) {
    const resolved = resolveWorkerPoolOptions(options);
    this.#size = resolved.size;
    this.#workerUrl = resolved.workerUrl;
    this.#startData = { operationModules: resolved.operationModules };
    this.#cancelGracePeriodMs = resolved.cancelGracePeriodMs;
    this.#resourceLimits = resolved.resourceLimits;
    this.#execArgv = resolved.execArgv;
  }

  /** The most jobs that run at once: give the core queue this as its `concurrency`. */
  get size(): number {
    return this.#size;
  }

  /** Jobs running now. */
  get runningCount(): number {
    return this.#threads.size - this.#idle.length;
  }

  /** Worker threads alive now (started lazily, replaced after a crash or a forced cancel). */
  get threadCount(): number {
    return this.#threads.size;
  }

  /**
   * Runs `job` on a free worker. Resolves with the operation's result; rejects with its error
   * (same code), the signal's reason (`CANCELED`) when aborted, `WORKER_CRASHED`, or
   * `INVALID_STATE` when all {@link WorkerPool.size} workers are busy (the caller over-dispatched).
   * The signal is read only once the job has run a little while (see `WATCH_INTERVAL_MS`), so a
   * signal that is already aborted stops the job within that time rather than at once.
   */
  run(job: RunnableJob, context: ExecutionContext): Promise<unknown> {
    if (this.#closed) return Promise.reject(new KwqmError('QUEUE_CLOSED', 'The worker pool is closed'));
    let thread: Thread | undefined;
    try {
      thread = this.#idle.pop() ?? this.#spawn();
    } catch (error) {
      // `new Worker` refused its options (e.g. resource limits): nothing started.
      return Promise.reject(KwqmError.from(error, 'INVALID_OPTION'));
    }
    if (thread === undefined) {
      return Promise.reject(
        new KwqmError(
          'INVALID_STATE',
          `All ${this.#size} workers are busy; run at most \`size\` jobs at once`,
          {
            details: { size: this.#size },
          },
        ),
      );
    }
    return new Promise<unknown>((resolve, reject) => {
      const task: Task = {
        id: thread.runs + 1,
        context,
        resolve,
        reject,
        onAbort: () => this.#abort(thread, task),
        startTick: this.#watchTick,
        watched: false,
        graceTimer: undefined,
        tempFiles: undefined,
      };
      const { operation, params, secrets } = job;
      const message: ToWorkerMessage =
        operation === thread.lastOperation && secrets === undefined && isBareValue(params)
          ? params
          : { type: 'run', operation, params, secrets };
      try {
        thread.worker.postMessage(message);
      } catch (error) {
        this.#release(thread);
        reject(uncloneableJob(params, error));
        return;
      }
      thread.runs = task.id;
      thread.lastOperation = operation;
      thread.task = task;
      thread.tempFileOwner = task;
      thread.worker.ref();
      this.#watchTimer ??= setTimeout(this.#watch, WATCH_INTERVAL_MS).unref();
    });
  }

  /**
   * Terminates every worker; jobs still running reject with `CANCELED` once their worker is gone
   * and their temporary output files are removed. Later `run` calls reject with `QUEUE_CLOSED`.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#watchTimer);
    this.#watchTimer = undefined;
    const threads = [...this.#threads];
    this.#threads.clear();
    this.#idle.length = 0;
    await Promise.all(
      threads.map(async (thread) => {
        thread.retiring = true;
        const { task } = thread;
        if (task !== undefined) this.#finish(thread, task);
        await thread.worker.terminate();
        if (task !== undefined) {
          removeTempFiles(task);
          task.reject(new KwqmError('CANCELED', 'The worker pool closed while the job was running'));
        }
      }),
    );
  }

  /** Starts watching the signals of tasks that have run through a whole interval. */
  readonly #watch = (): void => {
    this.#watchTimer = undefined;
    const tick = ++this.#watchTick;
    let unwatched = false;
    for (const thread of this.#threads) {
      const task = thread.task;
      if (task === undefined || task.watched) continue;
      if (task.startTick >= tick - 1) {
        unwatched = true;
        continue;
      }
      task.watched = true;
      const { signal } = task.context;
      if (signal.aborted) this.#abort(thread, task);
      else signal.addEventListener('abort', task.onAbort, { once: true });
    }
    if (unwatched) this.#watchTimer = setTimeout(this.#watch, WATCH_INTERVAL_MS).unref();
  };

  #spawn(): Thread | undefined {
    if (this.#threads.size >= this.#size) return undefined;
    const worker = new Worker(this.#workerUrl, {
      workerData: this.#startData,
      ...(this.#execArgv === undefined ? {} : { execArgv: [...this.#execArgv] }),
      ...(this.#resourceLimits === undefined ? {} : { resourceLimits: this.#resourceLimits }),
    });
    const thread: Thread = {
      worker,
      task: undefined,
      tempFileOwner: undefined,
      retiring: false,
      crash: undefined,
      runs: 0,
      lastOperation: undefined,
    };
    worker.on('message', (message: FromWorkerMessage) => this.#onMessage(thread, message));
    worker.on('error', (error) => {
      thread.crash = error;
    });
    worker.on('exit', (exitCode) => this.#onExit(thread, exitCode));
    this.#threads.add(thread);
    return thread;
  }

  #onMessage(thread: Thread, message: FromWorkerMessage): void {
    if (!isBareValue(message) && message.type === 'temp-file') {
      // Kept even from a retiring thread: the pool may be terminating the worker right after it
      // opened an output, and the file is removed only if the report is recorded.
      const owner = thread.tempFileOwner;
      if (owner?.id !== message.taskId) return;
      if (owner.tempFiles === undefined) owner.tempFiles = [message.path];
      else owner.tempFiles.push(message.path);
      return;
    }
    const task = thread.task;
    // After a forced cancel the thread is retiring; anything it still says is for nobody.
    if (task === undefined || thread.retiring) return;
    if (isBareValue(message)) {
      // A bare result: the worker runs one task at a time, and this one is current.
      this.#finish(thread, task);
      this.#release(thread);
      task.resolve(message);
      return;
    }
    if (task.id !== message.taskId) return;
    if (message.type === 'progress') {
      task.context.reportProgress(message.progress);
      return;
    }
    this.#finish(thread, task);
    this.#release(thread);
    if (message.type === 'done') task.resolve(message.result);
    else if (task.context.signal.aborted) task.reject(canceledBy(task.context.signal));
    else task.reject(KwqmError.fromJSON(message.error));
  }

  #abort(thread: Thread, task: Task): void {
    if (thread.task !== task) return;
    const reason = canceledBy(task.context.signal);
    thread.worker.postMessage({ type: 'abort', taskId: task.id, reason: reason.toJSON() });
    task.graceTimer = setTimeout(() => {
      // The operation ignored its signal (a sync loop, a stuck syscall): replace the worker. The
      // job ends once the thread is gone and its temporary files with it, so nothing is left behind.
      if (thread.task !== task) return;
      this.#finish(thread, task);
      void this.#retire(thread).then(() => {
        removeTempFiles(task);
        task.reject(reason);
      });
    }, this.#cancelGracePeriodMs);
  }

  #onExit(thread: Thread, exitCode: number): void {
    this.#threads.delete(thread);
    const idleIndex = this.#idle.indexOf(thread);
    if (idleIndex !== -1) this.#idle.splice(idleIndex, 1);
    const task = thread.task;
    if (thread.retiring || task === undefined) return;
    this.#finish(thread, task);
    removeTempFiles(task);
    task.reject(
      workingFolderGone(thread.crash) ??
        new KwqmError(
          'WORKER_CRASHED',
          `The worker thread running this job exited (code ${exitCode})${thread.crash ? `: ${thread.crash.message}` : ''}`,
          { cause: thread.crash, details: { exitCode } },
        ),
    );
  }

  /** Detaches `task` from `thread`: no more abort listening or grace timer. */
  #finish(thread: Thread, task: Task): void {
    thread.task = undefined;
    if (task.watched) task.context.signal.removeEventListener('abort', task.onAbort);
    if (task.graceTimer !== undefined) clearTimeout(task.graceTimer);
  }

  /** Makes `thread` available again; idle workers do not keep the process alive. */
  #release(thread: Thread): void {
    // The job ended on its own, its outputs committed or removed by the worker: an idle thread
    // keeps no finished job alive.
    thread.tempFileOwner = undefined;
    thread.worker.unref();
    this.#idle.push(thread);
  }

  /** Terminates `thread`; resolves once it has stopped (its exit code does not matter). */
  #retire(thread: Thread): Promise<unknown> {
    thread.retiring = true;
    this.#threads.delete(thread);
    return thread.worker.terminate().catch(() => undefined);
  }
}

/**
 * Removes the temporary output files of a task whose worker was terminated or died. Only those
 * the worker reported, by their full random names: a committed or aborted output's temp file is
 * gone already, and nothing else is touched.
 */
function removeTempFiles(task: Task): void {
  for (const path of task.tempFiles ?? []) {
    try {
      rmSync(path, { force: true });
    } catch {
      // Not ours to remove any more (a folder made read-only meanwhile): leave it.
    }
  }
}

/**
 * The error for a worker that died starting because this process's working folder is gone (an
 * `rm -rf` of it) or unreadable: Node reads the working folder while it bootstraps every worker
 * thread, before any of our code runs, and fails with `uv_cwd`. No job can run until the process
 * moves to a folder that exists, so this is the file-system error it is (`ENOENT`, or `EACCES`),
 * with `details.syscall` `uv_cwd`, not a crash. `undefined` for any other crash.
 */
function workingFolderGone(crash: Error | undefined): KwqmError | undefined {
  const { syscall, code: errno } = (crash ?? {}) as NodeJS.ErrnoException;
  if (syscall !== 'uv_cwd') return undefined;
  const code =
    errno === 'ENOENT' ? 'ENOENT' : errno === 'EACCES' || errno === 'EPERM' ? 'EACCES' : 'IO_ERROR';
  return new KwqmError(
    code,
    "This process's working folder no longer exists or cannot be read, and Node cannot start a worker thread without one: process.chdir() to a folder that exists, then run the job again",
    { cause: crash, ...(errno === undefined ? {} : { errno }), details: { syscall } },
  );
}

/** The signal's reason as the `KwqmError` a canceled job rejects with. */
function canceledBy(signal: AbortSignal): KwqmError {
  return KwqmError.from(signal.reason, 'CANCELED');
}

/**
 * The error for a job whose params or secrets a worker thread cannot receive (a function, a
 * class with private state): `INVALID_JOB` naming the field, as the daemon client does for data
 * that is not JSON. Which field is found by cloning the params again, on this failure path only.
 */
function uncloneableJob(params: unknown, error: unknown): KwqmError {
  if (KwqmError.is(error)) return error;
  let field = 'params';
  try {
    structuredClone(params);
    field = 'secrets';
  } catch {
    // The params are the uncloneable part.
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new KwqmError('INVALID_JOB', `The job's ${field} cannot be sent to a worker thread: ${reason}`, {
    details: { field },
    cause: error,
  });
}
