import type { ExecutionContext, Executor } from '../executor.js';
import type { RunnableJob } from '../job.js';

/** One call of {@link DeferredExecutor.run} that the test settles by hand. */
export interface DeferredRun {
  readonly job: RunnableJob;
  readonly context: ExecutionContext;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

/**
 * A test executor whose runs end only when the test says so: every `run` returns a promise the
 * test resolves or rejects through {@link DeferredExecutor.runs}. Not exported from the package.
 */
export class DeferredExecutor implements Executor {
  /** Every run ever started, in start order. */
  readonly runs: DeferredRun[] = [];
  /** Runs not yet settled, in start order. */
  readonly pending: DeferredRun[] = [];

  run(job: RunnableJob, context: ExecutionContext): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const run: DeferredRun = {
        job,
        context,
        resolve: (value) => {
          this.#forget(run);
          resolve(value);
        },
        reject: (reason) => {
          this.#forget(run);
          reject(reason);
        },
      };
      this.runs.push(run);
      this.pending.push(run);
    });
  }

  /** The pending run of job `id`; throws when there is none. */
  runOf(id: string): DeferredRun {
    const run = this.pending.find((candidate) => candidate.job.id === id);
    if (run === undefined) throw new Error(`No pending run of ${id}`);
    return run;
  }

  #forget(run: DeferredRun): void {
    const index = this.pending.indexOf(run);
    if (index !== -1) this.pending.splice(index, 1);
  }
}

const host = globalThis as { setImmediate?: (callback: () => void) => unknown };

/** Lets every pending promise callback run: resolves after the next macrotask (setImmediate where there is one). */
export function flush(): Promise<void> {
  return new Promise((resolve) => {
    if (host.setImmediate !== undefined) host.setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
