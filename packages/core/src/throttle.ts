import { KwqmError } from './kwqm-error.js';

/** Options of a {@link Throttle}. */
export interface ThrottleOptions {
  /** How many items the queue holds before producers wait. An integer >= 1 or `Infinity`. */
  readonly capacity: number;
  /** How many producers may wait for room before further ones get `QUEUE_FULL`. An integer >= 0 or `Infinity`. */
  readonly maxWaitingProducers: number;
  /** The current number of queued items (the throttle never counts them itself). */
  readonly size: () => number;
}

interface Waiter {
  readonly admit: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * The original module's producer throttling. While the queue holds `capacity` items a producer
 * waits, first come first served; once `maxWaitingProducers` already wait, the next one is
 * turned away at once with `QUEUE_FULL` (errno `ENOSPC`), as the kernel answered.
 *
 * Admission is synchronous: when room frees, {@link Throttle.release} runs the first waiter's
 * `admit` callback on the spot (which enqueues its job), so no producer arriving later can take
 * that place in between.
 */
export class Throttle {
  readonly capacity: number;
  readonly maxWaitingProducers: number;
  readonly #size: () => number;
  // A Set keeps insertion (arrival) order and deletes in O(1) when a waiter aborts.
  readonly #waiters = new Set<Waiter>();

  constructor(options: ThrottleOptions) {
    this.capacity = options.capacity;
    this.maxWaitingProducers = options.maxWaitingProducers;
    this.#size = options.size;
  }

  /** How many producers wait for room. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** True when a new producer may enter now: there is room and nobody waits before it. */
  hasRoom(): boolean {
    return this.#waiters.size === 0 && this.#size() < this.capacity;
  }

  /**
   * Waits for room, then runs `admit` (synchronously, at the moment room frees) and resolves with
   * its return value. Rejects at once with `QUEUE_FULL` when `maxWaitingProducers` already wait,
   * and with the signal's reason when `signal` aborts first (also when it is already aborted).
   */
  wait<T>(admit: () => T, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#waiters.size >= this.maxWaitingProducers) {
      return Promise.reject(
        new KwqmError(
          'QUEUE_FULL',
          `The queue is full (${this.capacity} queued) and ${this.#waiters.size} producers already wait`,
          { details: { capacity: this.capacity, maxWaitingProducers: this.maxWaitingProducers } },
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        admit,
        resolve: resolve as (value: unknown) => void,
        reject,
        signal,
        onAbort: undefined,
      };
      if (signal !== undefined) {
        waiter.onAbort = () => {
          if (this.#waiters.delete(waiter)) reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#waiters.add(waiter);
    });
  }

  /** Admits the first waiter if there is room. Returns whether one was admitted. */
  releaseOne(): boolean {
    if (this.#waiters.size === 0 || this.#size() >= this.capacity) return false;
    const waiter = this.#waiters.values().next().value as Waiter;
    this.#waiters.delete(waiter);
    this.#detach(waiter);
    try {
      waiter.resolve(waiter.admit());
    } catch (error) {
      waiter.reject(error);
    }
    return true;
  }

  /** Rejects every waiting producer with `error` (the queue is closing). */
  rejectAll(error: unknown): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) {
      this.#detach(waiter);
      waiter.reject(error);
    }
  }

  #detach(waiter: Waiter): void {
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }
}
