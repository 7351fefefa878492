import type { JobProgress } from '@kwqm/core';

/** Options of a {@link ProgressThrottle}. */
export interface ProgressThrottleOptions {
  /** Shortest time between two forwarded reports, in ms. @default 100 (at most 10 per second) */
  readonly intervalMs?: number;
  /** Where time comes from (ms, any fixed origin). @default performance.now */
  readonly now?: () => number;
  /** Schedules the trailing flush. @default setTimeout */
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  /** Cancels it. @default clearTimeout */
  readonly clearTimer?: (handle: unknown) => void;
}

/**
 * Rate-limits one task's progress reports: the first report goes out at once, later ones at most
 * once per interval, and the latest report held back is sent when the interval ends or at
 * {@link ProgressThrottle.flush} — so the final state always arrives, and an operation may call
 * `reportProgress` per block without flooding the thread channel.
 */
export class ProgressThrottle {
  readonly #send: (progress: JobProgress) => void;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #setTimer: (callback: () => void, ms: number) => unknown;
  readonly #clearTimer: (handle: unknown) => void;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #pending: JobProgress | undefined;
  #timer: unknown;

  constructor(send: (progress: JobProgress) => void, options: ProgressThrottleOptions = {}) {
    this.#send = send;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#now = options.now ?? (() => performance.now());
    this.#setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  }

  /** Takes one report; sends it now or keeps it as the latest to send later. */
  report(progress: JobProgress): void {
    const now = this.#now();
    if (now - this.#lastSentAt >= this.#intervalMs) {
      this.#cancelTimer();
      this.#pending = undefined;
      this.#sendNow(progress, now);
      return;
    }
    this.#pending = progress;
    if (this.#timer === undefined) {
      this.#timer = this.#setTimer(
        () => {
          this.#timer = undefined;
          this.flush();
        },
        this.#lastSentAt + this.#intervalMs - now,
      );
    }
  }

  /** Sends the report held back, if any; called when the task ends so the last one is never lost. */
  flush(): void {
    this.#cancelTimer();
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    this.#sendNow(pending, this.#now());
  }

  /** Drops the report held back without sending it (the task ended in a way nobody listens to). */
  discard(): void {
    this.#cancelTimer();
    this.#pending = undefined;
  }

  #sendNow(progress: JobProgress, now: number): void {
    this.#lastSentAt = now;
    this.#send(progress);
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return;
    this.#clearTimer(this.#timer);
    this.#timer = undefined;
  }
}
