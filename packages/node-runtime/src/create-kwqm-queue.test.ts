import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobProgress, KwqmError, type OperationDefinition } from '@kwqm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateIdentity } from './age/generate-identity.js';
import { createKwqmQueue, type KwqmQueue, type KwqmQueueOptions } from './create-kwqm-queue.js';

const fixtures = new URL('../test/fixtures/pool-operations.mjs', import.meta.url);

/** The fixture operations this suite submits, typed through createKwqmQueue's parameter. */
type FixtureOperations = {
  readonly 'add-one': OperationDefinition<number, number>;
  readonly echo: OperationDefinition<unknown, { params: unknown; secrets: unknown }, unknown>;
  readonly 'busy-loop': OperationDefinition<{ cells: SharedArrayBuffer }, string>;
  readonly 'wait-for-abort': OperationDefinition<{ cells: SharedArrayBuffer }, never>;
};

let folder: string;
const queues: KwqmQueue<never>[] = [];
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kwqm-queue-'));
});
afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close({ cancelPending: true })));
  await rm(folder, { recursive: true, force: true });
});

function makeQueue(options: KwqmQueueOptions = {}) {
  const queue = createKwqmQueue<FixtureOperations>({ workers: 2, operations: [fixtures], ...options });
  queues.push(queue as unknown as KwqmQueue<never>);
  return queue;
}

// Node 20 has Atomics.waitAsync; the ES2022 lib this repo compiles against does not declare it.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      view: Int32Array,
      index: number,
      value: number,
    ): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

function cells() {
  const buffer = new SharedArrayBuffer(8);
  const view = new Int32Array(buffer);
  return {
    buffer,
    started: async () => {
      const waiting = waitAsync(view, 0, 0);
      if (waiting.async) await waiting.value;
    },
    release: () => Atomics.store(view, 1, 1),
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(KwqmError);
  return (error as KwqmError).code;
}

// Real threads and processes on a shared machine: generous timeouts; nothing here asserts time.
describe('createKwqmQueue', { timeout: 30_000 }, () => {
  it('runs the built-in operations on worker threads, secrets included', async () => {
    const queue = makeQueue();
    const original = Buffer.concat([randomBytes(200_000), Buffer.alloc(200_000, 'k')]);
    const input = join(folder, 'doc.bin');
    await writeFile(input, original);

    const hashed = await (await queue.submit({ operation: 'hash', params: { input } })).result;
    expect(hashed.digest).toBe(createHash('sha256').update(original).digest('hex'));

    await (await queue.submit({ operation: 'compress', params: { input, format: 'brotli', level: 4 } }))
      .result;
    const unpacked = join(folder, 'unpacked.bin');
    await (
      await queue.submit({ operation: 'decompress', params: { input: `${input}.br`, output: unpacked } })
    ).result;
    expect((await readFile(unpacked)).equals(original)).toBe(true);

    const { identity, recipient } = generateIdentity();
    const encrypted = await (
      await queue.submit({ operation: 'encrypt', params: { input, recipients: [recipient] } })
    ).result;
    expect(encrypted.output).toBe(`${input}.age`);
    const decrypted = join(folder, 'decrypted.bin');
    await (
      await queue.submit({
        operation: 'decrypt',
        params: { input: `${input}.age`, output: decrypted },
        secrets: { identities: [identity] },
      })
    ).result;
    expect((await readFile(decrypted)).equals(original)).toBe(true);
    expect(queue.pool.threadCount).toBeLessThanOrEqual(2);
  });

  it('runs custom operations from modules and keeps the core queue order: priority first, FIFO inside', async () => {
    const queue = makeQueue({ workers: 1 });
    const blocker = cells();
    const blocking = await queue.submit({ operation: 'busy-loop', params: { cells: blocker.buffer } });
    await blocker.started();
    const started: string[] = [];
    queue.on('started', (event) => started.push(event.job.label ?? ''));
    const handles = [];
    for (const [label, priority] of [
      ['low-1', 'low'],
      ['medium-1', 'medium'],
      ['high-1', 'high'],
      ['low-2', 'low'],
      ['high-2', 'high'],
    ] as const) {
      handles.push(await queue.submit({ operation: 'add-one', params: handles.length, priority, label }));
    }
    expect(queue.size).toBe(5);
    blocker.release();
    expect(await blocking.result).toBe('released');
    expect(await Promise.all(handles.map((handle) => handle.result))).toEqual([1, 2, 3, 4, 5]);
    expect(started).toEqual(['high-1', 'high-2', 'medium-1', 'low-1', 'low-2']);
  });

  it('cancels a running job through its worker signal, removes a queued one, and goes on', async () => {
    const queue = makeQueue({ workers: 1 });
    const shared = cells();
    const running = await queue.submit({ operation: 'wait-for-abort', params: { cells: shared.buffer } });
    const queued = await queue.submit({ operation: 'add-one', params: 1 });
    const next = await queue.submit({ operation: 'add-one', params: 10 });
    await shared.started();
    expect(queue.remove(queued.id).state).toBe('removed');
    // Running until the worker has stopped; only then does it end canceled.
    expect(queue.cancel(running.id)).toMatchObject({ state: 'running', cancelRequested: true });
    expect(await codeOf(running.result)).toBe('CANCELED');
    expect(queue.get(running.id)?.state).toBe('canceled');
    expect(await codeOf(queued.result)).toBe('REMOVED');
    expect(await next.result).toBe(11);
  });

  it('forwards progress of a long file job, ending with the whole size', async () => {
    const queue = makeQueue({ workers: 1 });
    const input = join(folder, 'big.bin');
    const size = 12 * 1024 * 1024 + 5;
    await writeFile(input, Buffer.alloc(size, 3));
    const handle = await queue.submit({ operation: 'hash', params: { input, algorithm: 'sha512' } });
    const progress: JobProgress[] = [];
    handle.onProgress((report) => progress.push(report));
    await handle.result;
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.at(-1)).toEqual({ done: size, total: size, unit: 'bytes' });
  });

  it('fails jobs with the operation error code: unknown operation, bad params, missing input', async () => {
    const queue = makeQueue();
    const unknown = await queue.submit({ operation: 'no-such-op' as 'hash', params: { input: 'x' } });
    expect(await codeOf(unknown.result)).toBe('UNKNOWN_OPERATION');
    const missing = await queue.submit({ operation: 'hash', params: { input: join(folder, 'missing') } });
    expect(await codeOf(missing.result)).toBe('ENOENT');
    expect(queue.get(missing.id)?.error?.code).toBe('ENOENT');
  });

  it('close() lets accepted jobs finish, then terminates the workers', async () => {
    const queue = makeQueue();
    const handle = await queue.submit({ operation: 'echo', params: 'last', secrets: { key: 'k' } });
    await queue.close();
    expect(await handle.result).toEqual({ params: 'last', secrets: { key: 'k' } });
    expect(queue.pool.threadCount).toBe(0);
    expect(await codeOf(queue.submit({ operation: 'add-one', params: 1 }))).toBe('QUEUE_CLOSED');
  });

  it('close({ cancelPending: true }) cancels running and queued jobs, then terminates the workers', async () => {
    const queue = makeQueue({ workers: 1 });
    const shared = cells();
    const running = await queue.submit({ operation: 'wait-for-abort', params: { cells: shared.buffer } });
    const queued = await queue.submit({ operation: 'add-one', params: 1 });
    await shared.started();
    await queue.close({ cancelPending: true });
    expect(await codeOf(running.result)).toBe('CANCELED');
    expect(await codeOf(queued.result)).toBe('CANCELED');
    expect(queue.pool.threadCount).toBe(0);
  });

  it('validates its options at once', () => {
    const code = (options: unknown) => {
      try {
        createKwqmQueue(options as KwqmQueueOptions);
      } catch (error) {
        return (error as KwqmError).code;
      }
      return 'accepted';
    };
    expect(code({ workers: 0 })).toBe('INVALID_OPTION');
    expect(code({ capacity: 0 })).toBe('INVALID_OPTION');
    expect(code({ cancelGracePeriodMs: 'soon' })).toBe('INVALID_OPTION');
    expect(code({ worker: 2 })).toBe('INVALID_OPTION');
    expect(code(null)).toBe('INVALID_OPTION');
  });
});
