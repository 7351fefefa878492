import { type ExecutionContext, type Executor, KwqmError, type RunnableJob } from '@kwqm/core';

/**
 * Wraps the daemon's executor: everything the daemon keeps of a job goes out as JSON (its events,
 * `list`/`get` answers, the journal), so a result JSON cannot encode — a BigInt, a cycle — would
 * leave the job without a final event (its submitter waiting forever), the job out of the journal
 * and every `list({ includeFinished })` failing while it is in the history. Such a job fails here
 * instead, with `OPERATION_FAILED`, like a result the worker pool cannot clone.
 */
export class JsonResultExecutor implements Executor {
  readonly #inner: Executor;

  constructor(inner: Executor) {
    this.#inner = inner;
  }

  run(job: RunnableJob, context: ExecutionContext): Promise<unknown> {
    return this.#inner.run(job, context).then((result) => {
      try {
        JSON.stringify(result);
      } catch (error) {
        throw new KwqmError(
          'OPERATION_FAILED',
          `The result of \`${job.operation}\` cannot be sent as JSON: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error, details: { id: job.id } },
        );
      }
      return result;
    });
  }
}
