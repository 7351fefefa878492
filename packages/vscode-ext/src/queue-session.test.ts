import { createQueueService, functionExecutor, type JobSnapshot, KwqmError, WorkQueue } from '@kwqm/core';
import { describe, expect, it, vi } from 'vitest';
import type { QueueEngine } from './queue-engine.js';
import { QueueSession } from './queue-session.js';

// The session's only runtime use of the editor API is an event emitter.
vi.mock('vscode', () => ({
  EventEmitter: class {
    readonly #listeners = new Set<(value: unknown) => void>();
    readonly event = (listener: (value: unknown) => void) => {
      this.#listeners.add(listener);
      return { dispose: () => this.#listeners.delete(listener) };
    };
    fire(value: unknown): void {
      for (const listener of this.#listeners) listener(value);
    }
    dispose(): void {
      this.#listeners.clear();
    }
  },
}));

/** An in-editor engine over core's queue: `quick` succeeds, `slow` runs until it is canceled. */
function editorEngine(): QueueEngine {
  const queue = new WorkQueue({
    concurrency: 1,
    executor: functionExecutor({
      quick: async (params: { input: string }) => ({ output: `${params.input}.out` }),
      slow: (_params: { input: string }, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new KwqmError('CANCELED', 'canceled')), {
            once: true,
          });
        }),
    }),
  });
  return {
    service: createQueueService(queue) as unknown as QueueEngine['service'],
    location: 'editor',
    close: () => queue.close({ cancelPending: true }),
  };
}

function sessionOf(openEngine: () => Promise<QueueEngine>) {
  const lines: string[] = [];
  const write = (line: string) => lines.push(line);
  const log = { info: write, debug: () => undefined, warn: write, error: write };
  const finished: JobSnapshot[] = [];
  const session = new QueueSession({
    openEngine,
    log: log as never,
    onOwnJobFinished: (job) => finished.push(job),
  });
  return { session, lines, finished };
}

const job = (operation: 'quick' | 'slow', input: string) =>
  ({ operation, params: { input }, priority: 'medium' }) as never;

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 400 && !condition(); attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('QueueSession', () => {
  it('keeps the Finished rows when the queue is replaced after a settings change, and after the next queue opens', async () => {
    const { session, finished } = sessionOf(async () => editorEngine());
    const first = await session.submit(job('quick', '/w/a.txt'));
    await first.result;
    await until(() => finished.length === 1);
    expect(session.model.get(first.id)?.state).toBe('succeeded');

    await session.reopen();
    expect(session.model.get(first.id)?.state).toBe('succeeded');

    const second = await session.submit(job('quick', '/w/b.txt'));
    await second.result;
    await until(() => finished.length === 2);
    const rows = session.model.groups().find((group) => group.id === 'finished')?.jobs ?? [];
    expect(rows.map((row) => row.id).sort()).toEqual([first.id, second.id].sort());
    await session.dispose();
  });

  it('logs the cancel of a running and a queued in-editor job when the window closes', async () => {
    const { session, lines } = sessionOf(async () => editorEngine());
    const running = await session.submit(job('slow', '/w/big.bin'));
    const queued = await session.submit(job('quick', '/w/later.txt'));
    await until(() => session.model.get(running.id)?.state === 'running');
    await session.dispose();
    await expect(running.result).rejects.toMatchObject({ code: 'CANCELED' });
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^canceled ${running.id} slow `)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^canceled ${queued.id} quick `)));
    // Said before anything is awaited: VS Code disposes the subscriptions without waiting.
    const closing = lines.findIndex((line) => line.startsWith('the window is closing: canceling 2 job(s)'));
    expect(closing).toBeGreaterThanOrEqual(0);
    expect(closing).toBeLessThan(lines.findIndex((line) => line.startsWith(`canceled ${running.id}`)));
  });

  it('closes once: a second dispose waits for the same close', async () => {
    const { session } = sessionOf(async () => editorEngine());
    const running = await session.submit(job('slow', '/w/big.bin'));
    await until(() => session.model.get(running.id)?.state === 'running');
    const closes = [session.dispose(), session.dispose()];
    expect(closes[0]).toBe(closes[1]);
    await Promise.all(closes);
    expect(session.model.get(running.id)?.state).toBe('canceled');
  });
});
