import { type ExecutionContext, type Executor, KwqmError, type RunnableJob } from '@kwqm/core';

/**
 * Wraps the daemon's executor: a job restored from the journal that was submitted with secrets
 * cannot run (secrets are never written down), so instead of running it without them — which
 * could, say, fall back to a weaker mode or fail with a confusing error — it fails with
 * `SECRET_LOST` and the client learns exactly why.
 */
export class SecretGuardExecutor implements Executor {
  readonly #inner: Executor;
  readonly #lost = new Set<string>();

  constructor(inner: Executor) {
    this.#inner = inner;
  }

  /** Marks a restored job whose secrets are gone. */
  markSecretsLost(id: string): void {
    this.#lost.add(id);
  }

  run(job: RunnableJob, context: ExecutionContext): Promise<unknown> {
    if (this.#lost.delete(job.id)) {
      return Promise.reject(
        new KwqmError(
          'SECRET_LOST',
          `Job \`${job.id}\` needs the secrets it was submitted with, and the daemon restarted since; submit it again`,
          { details: { id: job.id } },
        ),
      );
    }
    return this.#inner.run(job, context);
  }
}
