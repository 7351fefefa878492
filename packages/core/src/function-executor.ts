import type { ExecutionContext } from './executor.js';
import type { OperationDefinition, RunnableJob } from './job.js';
import { KwqmError } from './kwqm-error.js';
import type { TypedExecutor } from './work-queue-options.js';

/**
 * One operation as a plain async function: its params, the execution context (`signal`,
 * `reportProgress`) and the whole job (id, priority, secrets).
 */
export type OperationFunction<Params = never, Result = unknown, Secrets = never> = (
  params: Params,
  context: ExecutionContext,
  job: RunnableJob<Params, Secrets>,
) => Result | Promise<Result>;

/** Operation functions by operation name. */
export type OperationFunctions = { readonly [operation: string]: OperationFunction };

/** The operation map a set of {@link OperationFunctions} defines. */
export type OperationsOf<Functions extends OperationFunctions> = {
  [Op in keyof Functions & string]: Functions[Op] extends (
    params: infer Params,
    context: ExecutionContext,
    job: RunnableJob<never, infer Secrets>,
  ) => infer Result
    ? OperationDefinition<Params, Awaited<Result>, Secrets>
    : never;
};

/**
 * An {@link Executor} for library users who run their own async functions in-process:
 *
 * ```ts
 * const queue = new WorkQueue({
 *   executor: functionExecutor({
 *     resize: async (params: { path: string; width: number }, { signal, reportProgress }) => { … },
 *   }),
 * });
 * const handle = await queue.submit({ operation: 'resize', params: { path: 'a.png', width: 64 } });
 * ```
 *
 * The queue's operation map is inferred from the functions. An operation with no function
 * rejects with `UNKNOWN_OPERATION`.
 */
export function functionExecutor<Functions extends OperationFunctions>(
  functions: Functions,
): TypedExecutor<OperationsOf<Functions>> {
  if (typeof functions !== 'object' || functions === null) {
    throw new KwqmError('INVALID_OPTION', 'Expected `functions` to be an object of operation functions');
  }
  const table = new Map<string, OperationFunction<unknown, unknown, unknown>>();
  for (const [name, run] of Object.entries(functions)) {
    if (typeof run !== 'function') {
      throw new KwqmError('INVALID_OPTION', `Expected \`functions.${name}\` to be a function`, {
        details: { option: `functions.${name}` },
      });
    }
    table.set(name, run as OperationFunction<unknown, unknown, unknown>);
  }
  return {
    run(job: RunnableJob, context: ExecutionContext): Promise<unknown> {
      const run = table.get(job.operation);
      if (run === undefined) {
        return Promise.reject(
          new KwqmError('UNKNOWN_OPERATION', `No function for operation \`${job.operation}\``, {
            details: { operation: job.operation },
          }),
        );
      }
      try {
        const result = run(job.params, context, job);
        return result instanceof Promise ? result : Promise.resolve(result);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
