import { isFinalState, type JobProgress, type JobSnapshot, KwqmError, type Unsubscribe } from '@kwqm/core';

/**
 * What a client knows of one job it waits for: a result promise and progress listeners, settled
 * by the job's final event or by a final snapshot (after a reconnect, the daemon answers a
 * resubscription with the job's current snapshot).
 */
export class JobTracker {
  readonly id: string;
  readonly result: Promise<unknown>;
  readonly #progressListeners = new Set<(progress: JobProgress) => void>();
  #resolve!: (value: unknown) => void;
  #reject!: (error: KwqmError) => void;
  #settled = false;

  constructor(id: string) {
    this.id = id;
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A caller that only wanted the id never reads the result; its rejection is not a crash.
    this.result.catch(() => {});
  }

  get settled(): boolean {
    return this.#settled;
  }

  onProgress(listener: (progress: JobProgress) => void): Unsubscribe {
    if (this.#settled) return () => {};
    this.#progressListeners.add(listener);
    return () => this.#progressListeners.delete(listener);
  }

  progress(progress: JobProgress): void {
    for (const listener of this.#progressListeners) {
      try {
        listener(progress);
      } catch (error) {
        // A listener's bug must not stop the others nor the reading of the frames behind this one
        // (the job's final event among them); reported as the in-process queue does.
        void Promise.reject(error);
      }
    }
  }

  /** Settles from a snapshot if it is final; returns whether it was. */
  settleFrom(job: JobSnapshot): boolean {
    if (!isFinalState(job.state)) return false;
    if (job.state === 'succeeded') this.#settle(() => this.#resolve(job.result));
    else this.#settle(() => this.#reject(errorOf(job)));
    return true;
  }

  fail(error: KwqmError): void {
    this.#settle(() => this.#reject(error));
  }

  #settle(action: () => void): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#progressListeners.clear();
    action();
  }
}

function errorOf(job: JobSnapshot): KwqmError {
  if (job.error !== undefined) return KwqmError.fromJSON(job.error);
  const code =
    job.state === 'removed' ? 'REMOVED' : job.state === 'canceled' ? 'CANCELED' : 'OPERATION_FAILED';
  return new KwqmError(code, `Job \`${job.id}\` ended ${job.state}`, { details: { id: job.id } });
}
