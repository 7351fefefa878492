import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type JobProgress, KwqmError, type RunnableJob } from '@kwqm/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool.js';
import type { WorkerPoolOptions } from './worker-pool-options.js';

const fixtures = new URL('../../test/fixtures/pool-operations.mjs', import.meta.url);

const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

function makePool(options: WorkerPoolOptions = {}): WorkerPool {
  const pool = new WorkerPool({ size: 2, operations: [fixtures], ...options });
  pools.push(pool);
  return pool;
}

let jobCounter = 0;
function job(operation: string, params: unknown = undefined, secrets: unknown = undefined): RunnableJob {
  jobCounter += 1;
  return { id: `job-${jobCounter}`, operation, params, secrets, priority: 'medium' };
}

function context(signal = new AbortController().signal, progress: JobProgress[] = []) {
  return { signal, reportProgress: (report: JobProgress) => progress.push(report) };
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

/** Shared cells for the Atomics fixtures: [started, release]. */
function cells() {
  const buffer = new SharedArrayBuffer(8);
  const view = new Int32Array(buffer);
  return {
    buffer,
    /** Resolves once the operation inside the worker has set "started". */
    started: async () => {
      const waiting = waitAsync(view, 0, 0);
      if (waiting.async) await waiting.value;
    },
    release: () => {
      Atomics.store(view, 1, 1);
    },
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(KwqmError);
  return (error as KwqmError).code;
}

function canceled(): KwqmError {
  return new KwqmError('CANCELED', 'canceled by the test');
}

// Real threads and processes on a shared machine: generous timeouts; nothing here asserts time.
describe('WorkerPool', { timeout: 30_000 }, () => {
  it('runs many jobs on few workers, one per worker at a time, and never starts more threads than its size', async () => {
    const pool = makePool({ size: 2 });
    const results: number[] = [];
    const threads = new Set<number>();
    let next = 0;
    const lane = async () => {
      while (next < 200) {
        const input = next++;
        results[input] = (await pool.run(job('add-one', input), context())) as number;
        expect(pool.runningCount).toBeLessThanOrEqual(2);
      }
      threads.add((await pool.run(job('which-thread'), context())) as number);
    };
    await Promise.all([lane(), lane()]);
    expect(results).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
    expect(pool.threadCount).toBe(2);
    expect(threads.size).toBeGreaterThanOrEqual(1);
    expect(pool.runningCount).toBe(0);
  });

  it('refuses a job beyond its size instead of queueing it: the core queue owns the order', async () => {
    const pool = makePool({ size: 1 });
    const shared = cells();
    const running = pool.run(job('busy-loop', { cells: shared.buffer }), context());
    expect(await codeOf(pool.run(job('add-one', 1), context()))).toBe('INVALID_STATE');
    await shared.started();
    shared.release();
    expect(await running).toBe('released');
  });

  it('passes params and secrets to the operation', async () => {
    const pool = makePool();
    const result = await pool.run(job('echo', { input: 'a.txt' }, { passphrase: 'pw' }), context());
    expect(result).toEqual({ params: { input: 'a.txt' }, secrets: { passphrase: 'pw' } });
  });

  it('runs repeated and alternating operations on one worker with plain and structured params and results', async () => {
    // Repeats of a worker's last operation with primitive params and no secrets cross as bare
    // values, as do primitive results: every mix must still reach the right operation.
    const pool = makePool({ size: 1 });
    const sequence: Array<[RunnableJob, unknown]> = [
      [job('add-one', 1), 2],
      [job('add-one', 41), 42],
      [job('add-one', 1.5), 2.5],
      [job('echo', 'text'), { params: 'text', secrets: undefined }],
      [job('echo', null), { params: null, secrets: undefined }],
      [job('echo', 7, { key: 'k' }), { params: 7, secrets: { key: 'k' } }],
      [job('echo', 8), { params: 8, secrets: undefined }],
      [job('echo', { nested: [1] }), { params: { nested: [1] }, secrets: undefined }],
      [job('echo', 10n), { params: 10n, secrets: undefined }],
      [job('add-one', '1'), '11'],
      [job('which-thread'), expect.any(Number)],
      [job('which-thread'), expect.any(Number)],
    ];
    for (const [runnable, expected] of sequence) {
      expect(await pool.run(runnable, context())).toEqual(expected);
    }
    expect(pool.threadCount).toBe(1);
  });

  it('carries error codes and details across the thread', async () => {
    const pool = makePool();
    const error = await pool
      .run(job('fail-with-code', { code: 'EEXIST' }), context())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KwqmError);
    expect((error as KwqmError).code).toBe('EEXIST');
    expect((error as KwqmError).details).toEqual({ path: '/some/where' });
    expect(await codeOf(pool.run(job('fail-plainly'), context()))).toBe('OPERATION_FAILED');
    expect(await codeOf(pool.run(job('no-such-operation'), context()))).toBe('UNKNOWN_OPERATION');
    expect(await codeOf(pool.run(job('return-function'), context()))).toBe('OPERATION_FAILED');
    const uncloneable = await pool
      .run(
        job('add-one', () => 1),
        context(),
      )
      .catch((e: unknown) => e);
    expect(uncloneable).toBeInstanceOf(KwqmError);
    expect((uncloneable as KwqmError).code).toBe('INVALID_JOB');
    expect((uncloneable as KwqmError).details).toEqual({ field: 'params' });
    expect((uncloneable as KwqmError).message).toMatch(
      /params cannot be sent to a worker thread: .*could not be cloned/,
    );
    const secretError = await pool
      .run(job('add-one', 41, { key: Symbol('not data') }), context())
      .catch((e: unknown) => e);
    expect((secretError as KwqmError).code).toBe('INVALID_JOB');
    expect((secretError as KwqmError).details).toEqual({ field: 'secrets' });
    // None of those hurt the workers.
    expect(await pool.run(job('add-one', 41), context())).toBe(42);
  });

  it('cancels a running job through the AbortSignal inside the worker and keeps the worker', async () => {
    const pool = makePool({ size: 1 });
    const before = await pool.run(job('which-thread'), context());
    const controller = new AbortController();
    const shared = cells();
    const running = pool.run(job('wait-for-abort', { cells: shared.buffer }), context(controller.signal));
    await shared.started();
    const reason = canceled();
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(await pool.run(job('which-thread'), context())).toBe(before);
  });

  it('terminates and replaces a worker whose operation ignores its signal past the grace period', async () => {
    const pool = makePool({ size: 1, cancelGracePeriodMs: 20 });
    const before = await pool.run(job('which-thread'), context());
    const controller = new AbortController();
    const shared = cells();
    const running = pool.run(job('busy-loop', { cells: shared.buffer }), context(controller.signal));
    await shared.started();
    controller.abort(canceled());
    expect(await codeOf(running)).toBe('CANCELED');
    const after = await pool.run(job('which-thread'), context());
    expect(after).not.toBe(before);
    expect(pool.threadCount).toBe(1);
  });

  it('stops a job whose signal was aborted before it started, with the reason', async () => {
    const pool = makePool({ size: 1 });
    const controller = new AbortController();
    const reason = canceled();
    controller.abort(reason);
    const shared = cells();
    await expect(
      pool.run(job('wait-for-abort', { cells: shared.buffer }), context(controller.signal)),
    ).rejects.toBe(reason);
    expect(await pool.run(job('add-one', 1), context())).toBe(2);
  });

  it('fails only the crashed job with WORKER_CRASHED while a job on another worker finishes', async () => {
    const pool = makePool({ size: 2 });
    const shared = cells();
    const survivor = pool.run(job('busy-loop', { cells: shared.buffer }), context());
    await shared.started();
    const crashed = pool.run(job('exit-thread', { code: 3 }), context());
    const error = await crashed.catch((e: unknown) => e);
    expect((error as KwqmError).code).toBe('WORKER_CRASHED');
    expect((error as KwqmError).details).toEqual({ exitCode: 3 });
    shared.release();
    expect(await survivor).toBe('released');
    // The dead worker was replaced: both slots serve again.
    expect(
      await Promise.all([pool.run(job('add-one', 1), context()), pool.run(job('add-one', 2), context())]),
    ).toEqual([2, 3]);
    expect(pool.threadCount).toBe(2);
  });

  it('reports an uncaught asynchronous exception in a worker as WORKER_CRASHED', async () => {
    const pool = makePool({ size: 1 });
    expect(await codeOf(pool.run(job('throw-asynchronously'), context()))).toBe('WORKER_CRASHED');
    expect(await pool.run(job('add-one', 1), context())).toBe(2);
  });

  it('reports a worker that runs out of memory as WORKER_CRASHED', async () => {
    const pool = makePool({
      size: 1,
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
    });
    expect(await codeOf(pool.run(job('exhaust-memory'), context()))).toBe('WORKER_CRASHED');
    expect(await pool.run(job('add-one', 1), context())).toBe(2);
  });

  it('forwards progress rate-limited, always including the final report', async () => {
    const pool = makePool({ size: 1 });
    const progress: JobProgress[] = [];
    expect(await pool.run(job('report-many', { count: 10_000 }), context(undefined, progress))).toBe(10_000);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThan(10_000);
    expect(progress.at(-1)).toEqual({ done: 10_000, total: 10_000, unit: 'steps' });
  });

  it('fails jobs with INVALID_OPTION when a custom module exports no operation or reuses a name', async () => {
    const bad = makePool({
      size: 1,
      operations: [new URL('../../test/fixtures/bad-module.mjs', import.meta.url)],
    });
    expect(await codeOf(bad.run(job('add-one', 1), context()))).toBe('INVALID_OPTION');
    const duplicate = makePool({
      size: 1,
      operations: [fixtures, new URL('../../test/fixtures/duplicate-operations.mjs', import.meta.url)],
    });
    expect(await codeOf(duplicate.run(job('add-one', 1), context()))).toBe('INVALID_OPTION');
    const missing = makePool({ size: 1, operations: [new URL('./no-such-module.mjs', fixtures)] });
    expect(await codeOf(missing.run(job('add-one', 1), context()))).toBe('INVALID_OPTION');
  });

  it('fails a job with WORKER_CRASHED when the worker entry cannot be loaded', async () => {
    const pool = makePool({ size: 1, workerUrl: new URL('./no-such-worker.mjs', fixtures) });
    expect(await codeOf(pool.run(job('add-one', 1), context()))).toBe('WORKER_CRASHED');
  });

  it('accepts the worker entry as a URL string', async () => {
    const pool = makePool({ size: 1, workerUrl: new URL('../../dist/worker.js', import.meta.url).href });
    expect(await pool.run(job('add-one', 1), context())).toBe(2);
  });

  it('close() cancels running jobs, terminates the workers and refuses new jobs', async () => {
    const pool = makePool({ size: 1 });
    const shared = cells();
    const running = pool.run(job('busy-loop', { cells: shared.buffer }), context());
    const outcome = codeOf(running);
    await shared.started();
    await pool.close();
    expect(await outcome).toBe('CANCELED');
    expect(pool.threadCount).toBe(0);
    expect(await codeOf(pool.run(job('add-one', 1), context()))).toBe('QUEUE_CLOSED');
  });

  it('fails jobs with ENOENT (syscall uv_cwd), not WORKER_CRASHED, while the process works in a deleted folder, and runs them once it moved', () => {
    // In a child process: the working folder is process-wide, and Node reads it when a worker
    // thread starts. The child loads the built pool (dist), as a library user would.
    const script = `
      import { mkdtempSync, rmSync } from 'node:fs';
      import { tmpdir } from 'node:os';
      import { join } from 'node:path';
      import { WorkerPool } from '@kwqm/node-runtime';
      const pool = new WorkerPool({ size: 1, operations: [${JSON.stringify(fixtures.href)}] });
      const context = { signal: new AbortController().signal, reportProgress: () => {} };
      const outcome = (id) => pool
        .run({ id, operation: 'add-one', params: 1, priority: 'medium' }, context)
        .then((result) => ({ result }), (error) => ({ code: error.code, details: error.details }));
      const gone = mkdtempSync(join(tmpdir(), 'kwqm-gone-'));
      process.chdir(gone);
      rmSync(gone, { recursive: true });
      const outcomes = [await outcome('a'), await outcome('b')];
      process.chdir(tmpdir());
      outcomes.push(await outcome('c'));
      await pool.close();
      console.log(JSON.stringify(outcomes));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
    });
    const gone = { code: 'ENOENT', details: { syscall: 'uv_cwd' } };
    expect(JSON.parse(output)).toEqual([gone, gone, { result: 2 }]);
  });

  it('validates its options at once', () => {
    const invalid = (options: unknown) => {
      try {
        new WorkerPool(options as WorkerPoolOptions);
      } catch (error) {
        return (error as KwqmError).code;
      }
      return 'accepted';
    };
    expect(invalid({ size: 0 })).toBe('INVALID_OPTION');
    expect(invalid({ size: 1.5 })).toBe('INVALID_OPTION');
    expect(invalid({ cancelGracePeriodMs: -1 })).toBe('INVALID_OPTION');
    expect(invalid({ workerUrl: 'not a url' })).toBe('INVALID_OPTION');
    expect(invalid({ operations: ['file:///ok.mjs', 42] })).toBe('INVALID_OPTION');
    expect(invalid({ sise: 2 })).toBe('INVALID_OPTION');
    expect(invalid({ resourceLimits: 64 })).toBe('INVALID_OPTION');
    expect(invalid({ size: 3 })).toBe('accepted');
  });
});

describe('WorkerPool temporary outputs of a terminated worker', { timeout: 30_000 }, () => {
  // A terminated thread runs no cleanup; the pool removes the temp files its worker reported.
  let folder: string;
  const output = () => join(folder, 'out.bin');
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  const makeFolder = () => {
    folder = mkdtempSync(join(tmpdir(), 'kwqm-pool-temp-'));
  };

  it('removes them when a cancel outlives the grace period', async () => {
    makeFolder();
    const pool = makePool({ size: 1, cancelGracePeriodMs: 0 });
    const controller = new AbortController();
    const shared = cells();
    const running = pool.run(
      job('open-output-then-hang', { output: output(), cells: shared.buffer }),
      context(controller.signal),
    );
    await shared.started();
    expect(readdirSync(folder)).toHaveLength(1);
    controller.abort(canceled());
    expect(await codeOf(running)).toBe('CANCELED');
    expect(readdirSync(folder)).toEqual([]);
  });

  it('removes them when the pool closes under a running job', async () => {
    makeFolder();
    const pool = makePool({ size: 1 });
    const shared = cells();
    const outcome = codeOf(
      pool.run(job('open-output-then-hang', { output: output(), cells: shared.buffer }), context()),
    );
    await shared.started();
    await pool.close();
    expect(await outcome).toBe('CANCELED');
    expect(readdirSync(folder)).toEqual([]);
  });

  it('removes them when the worker dies mid-job', async () => {
    makeFolder();
    const pool = makePool({ size: 1 });
    const shared = cells();
    const crashed = pool.run(
      job('open-output-then-hang', { output: output(), cells: shared.buffer, exit: true }),
      context(),
    );
    expect(await codeOf(crashed)).toBe('WORKER_CRASHED');
    expect(readdirSync(folder)).toEqual([]);
  });
});
