import type { JobRecord } from './job-record.js';

/**
 * One of the scheduler's `concurrency` places at the executor. A slot holds at most one job until
 * that job's executor settles, so its two settle callbacks are made once and reused for every job
 * it runs: no closures per job.
 */
export class ExecutorSlot {
  /** The job whose executor call is outstanding, if any. */
  record: JobRecord | undefined = undefined;
  readonly onFulfilled: (value: unknown) => void;
  readonly onRejected: (reason: unknown) => void;

  constructor(settle: (slot: ExecutorSlot, succeeded: boolean, value: unknown) => void) {
    this.onFulfilled = (value) => settle(this, true, value);
    this.onRejected = (reason) => settle(this, false, reason);
  }
}
