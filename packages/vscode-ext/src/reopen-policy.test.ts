import { describe, expect, it } from 'vitest';
import { mayReopenNow } from './reopen-policy.js';

describe('mayReopenNow', () => {
  it('closes an in-editor queue only while nothing runs or waits (closing cancels its jobs)', () => {
    expect(mayReopenNow({ location: 'editor', running: 0, queued: 0, ownUnfinished: 0 })).toBe(true);
    expect(mayReopenNow({ location: 'editor', running: 1, queued: 0, ownUnfinished: 1 })).toBe(false);
    expect(mayReopenNow({ location: 'editor', running: 0, queued: 2, ownUnfinished: 2 })).toBe(false);
    // The queue is idle but the last job's finish notification has not read its snapshot yet.
    expect(mayReopenNow({ location: 'editor', running: 0, queued: 0, ownUnfinished: 1 })).toBe(false);
  });

  it("keeps a daemon connection while this window's own jobs run there, so their rows and notifications are not lost", () => {
    expect(mayReopenNow({ location: 'daemon', running: 1, queued: 0, ownUnfinished: 1 })).toBe(false);
  });

  it("closes a daemon connection at once when only other clients' jobs run", () => {
    expect(mayReopenNow({ location: 'daemon', running: 3, queued: 5, ownUnfinished: 0 })).toBe(true);
  });
});
