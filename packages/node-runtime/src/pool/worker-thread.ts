import type { MessagePort } from 'node:worker_threads';
import { type JobProgress, KwqmError } from '@kwqm/core';
import { setTempFileListener } from '../files/temp-file-listener.js';
import type { OperationContext } from '../operations/operation.js';
import type { OperationRegistry } from '../operations/operation-registry.js';
import { ProgressThrottle } from './progress-throttle.js';
import { type FromWorkerMessage, isBareValue, type ToWorkerMessage } from './thread-messages.js';

/**
 * The task a worker is running (the pool sends one at a time) and the context its operation
 * gets. The AbortSignal is made only when the operation reads it or an abort arrives: creating
 * one costs more than a whole tiny task, and most tiny tasks never look.
 */
class TaskContext implements OperationContext {
  readonly taskId: number;
  readonly reportProgress: (progress: JobProgress) => void;
  #controller: AbortController | undefined;

  constructor(taskId: number, reportProgress: (progress: JobProgress) => void) {
    this.taskId = taskId;
    this.reportProgress = reportProgress;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  abort(reason: KwqmError): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(reason);
  }
}

/**
 * Serves the pool's messages on `port` inside a worker thread: runs each `run` message's
 * operation from `registry` and answers with exactly one `done` or `failed`, forwards progress
 * through a {@link ProgressThrottle}, and turns an `abort` message into an abort of the
 * operation's own `AbortSignal`.
 */
export function serveWorkerThread(port: MessagePort, registry: Promise<OperationRegistry>): void {
  let loaded: OperationRegistry | undefined;
  let current: TaskContext | undefined;
  const post = (message: FromWorkerMessage): void => port.postMessage(message);
  // A module that fails to load fails every task with its error (below); until a task awaits
  // the registry, this keeps the rejection from counting as unhandled and killing the thread.
  registry.catch(() => undefined);
  setTempFileListener((path) => {
    if (current !== undefined) post({ type: 'temp-file', taskId: current.taskId, path });
  });

  const run = async (
    taskId: number,
    operationName: string,
    params: unknown,
    secrets: unknown,
  ): Promise<void> => {
    // Made on the first report only: most tiny tasks never report progress.
    let throttle: ProgressThrottle | undefined;
    const reportProgress = (progress: JobProgress): void => {
      throttle ??= new ProgressThrottle((sent) => post({ type: 'progress', taskId, progress: sent }));
      throttle.report(progress);
    };
    const task = new TaskContext(taskId, reportProgress);
    current = task;
    let outcome: FromWorkerMessage;
    try {
      loaded ??= await registry;
      const operation = loaded.get(operationName);
      if (operation === undefined) {
        throw new KwqmError('UNKNOWN_OPERATION', `Unknown operation \`${operationName}\``, {
          details: { operation: operationName, known: loaded.names().join(', ') },
        });
      }
      const result = await operation.run(params, secrets ?? undefined, task);
      outcome = isBareValue(result) ? result : { type: 'done', taskId, result };
    } catch (error) {
      outcome = { type: 'failed', taskId, error: KwqmError.from(error, 'OPERATION_FAILED').toJSON() };
    }
    if (current === task) current = undefined;
    // The last report goes before the outcome so the pool forwards it while the job is still running.
    throttle?.flush();
    try {
      post(outcome);
    } catch (error) {
      // A result that cannot be cloned (a function, a class with private state) fails the job, not the worker.
      const failure = new KwqmError(
        'OPERATION_FAILED',
        `The result of \`${operationName}\` cannot be sent to the main thread: ${String(error)}`,
      );
      post({ type: 'failed', taskId, error: failure.toJSON() });
    }
  };

  // The pool counts the same way: the n-th run message is task n (see thread-messages.ts).
  let runs = 0;
  let lastOperation = '';
  port.on('message', (message: ToWorkerMessage) => {
    if (isBareValue(message)) {
      runs += 1;
      void run(runs, lastOperation, message, undefined);
    } else if (message.type === 'run') {
      runs += 1;
      lastOperation = message.operation;
      void run(runs, message.operation, message.params, message.secrets);
    } else if (message.type === 'abort' && current?.taskId === message.taskId) {
      current.abort(KwqmError.fromJSON(message.reason));
    }
  });
}
