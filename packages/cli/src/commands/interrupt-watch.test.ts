import { describe, expect, it } from 'vitest';
import { InterruptWatch } from './interrupt-watch.js';

describe('InterruptWatch', () => {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`turns ${signal} into an ABORTED abort and exit status ${status}`, () => {
      const watch = new InterruptWatch();
      let heard = 0;
      watch.onInterrupt(() => {
        heard += 1;
      });
      try {
        // Emitted, not sent: the listeners run, no real signal reaches the test process.
        process.emit(signal, signal);
        expect(watch.interrupted).toBe(true);
        expect(heard).toBe(1);
        expect(watch.signal.reason).toMatchObject({ code: 'ABORTED', details: { signal } });
        expect(watch.exitCode).toBe(status);
      } finally {
        watch.dispose();
      }
      expect(process.listenerCount(signal)).toBe(0);
    });
  }
});
