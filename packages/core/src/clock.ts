/** An opaque timer handle from a {@link Clock}. */
export type TimerHandle = unknown;

/**
 * Where the queue gets time from. Injected through options so tests use fake time and two queues
 * never share state.
 */
export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin, consistently). */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The default clock: the host's `Date.now` and timers, looked up when called, not at import. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as never),
};
