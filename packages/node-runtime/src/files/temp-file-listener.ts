// A worker thread can be terminated mid-job (a cancel past its grace period, the pool closing, a
// crash), and a terminated thread runs no cleanup: the temporary file of its atomic output would
// stay behind. So a worker thread listens for the temporary files atomic outputs create and tells
// the pool, which removes them once the thread is gone.
//
// The listener lives on `globalThis` under a registered symbol, not in a module variable: the
// worker entry and a custom operation that imports this package may hold two bundled copies of
// this module in one thread. Each thread has its own `globalThis`; the main thread sets none.

const LISTENER = Symbol.for('kwqm.tempFileListener');

type Listener = (tempPath: string) => void;

/** Sets (or with `undefined` clears) this thread's listener for new temporary output files. */
export function setTempFileListener(listener: Listener | undefined): void {
  (globalThis as { [LISTENER]?: Listener })[LISTENER] = listener;
}

/** Tells this thread's listener, if any, that `tempPath` is about to be created. */
export function reportTempFile(tempPath: string): void {
  (globalThis as { [LISTENER]?: Listener })[LISTENER]?.(tempPath);
}
