import { describe, expect, it } from 'vitest';
import { Throttle } from './throttle.js';

function setup(capacity: number, maxWaitingProducers: number) {
  const queued: string[] = [];
  const throttle = new Throttle({ capacity, maxWaitingProducers, size: () => queued.length });
  const enter = (name: string, signal?: AbortSignal) =>
    throttle.hasRoom() ? Promise.resolve(queued.push(name)) : throttle.wait(() => queued.push(name), signal);
  return { throttle, queued, enter };
}

describe('Throttle', () => {
  it('admits waiting producers first come first served, synchronously as room frees', async () => {
    const { throttle, queued, enter } = setup(1, 5);
    await enter('a');
    const b = enter('b');
    const c = enter('c');
    expect(throttle.waiting).toBe(2);
    expect(throttle.hasRoom()).toBe(false);
    queued.shift();
    expect(throttle.releaseOne()).toBe(true);
    // Admission ran its callback at once: the place is taken before anyone else can look.
    expect(queued).toEqual(['b']);
    expect(throttle.releaseOne()).toBe(false);
    queued.shift();
    throttle.releaseOne();
    expect(queued).toEqual(['c']);
    await expect(b).resolves.toBe(1);
    await expect(c).resolves.toBe(1);
  });

  it('does not let a newcomer overtake a waiting producer', async () => {
    const { throttle, queued, enter } = setup(1, 5);
    await enter('a');
    void enter('b');
    queued.shift();
    expect(throttle.hasRoom()).toBe(false);
  });

  it('rejects with QUEUE_FULL / ENOSPC past maxWaitingProducers', async () => {
    const { enter } = setup(1, 1);
    await enter('a');
    void enter('b');
    await expect(enter('c')).rejects.toMatchObject({
      code: 'QUEUE_FULL',
      errno: 'ENOSPC',
      details: { capacity: 1, maxWaitingProducers: 1 },
    });
  });

  it('drops an aborted waiter with its reason, and rejects a pre-aborted signal at once', async () => {
    const { throttle, queued, enter } = setup(1, 5);
    await enter('a');
    const controller = new AbortController();
    const aborted = enter('b', controller.signal);
    const c = enter('c');
    controller.abort('stop');
    await expect(aborted).rejects.toBe('stop');
    expect(throttle.waiting).toBe(1);
    queued.shift();
    throttle.releaseOne();
    expect(queued).toEqual(['c']);
    await c;
    await expect(throttle.wait(() => 0, controller.signal)).rejects.toBe('stop');
    expect(throttle.waiting).toBe(0);
  });

  it('rejects every waiter on rejectAll and passes an admit failure to its producer', async () => {
    const { throttle, queued, enter } = setup(1, 5);
    await enter('a');
    const failing = throttle.wait(() => {
      throw new Error('admit failed');
    });
    const b = enter('b');
    queued.shift();
    throttle.releaseOne();
    await expect(failing).rejects.toThrow('admit failed');
    const closing = new Error('closed');
    throttle.rejectAll(closing);
    await expect(b).rejects.toBe(closing);
    expect(throttle.waiting).toBe(0);
  });
});
