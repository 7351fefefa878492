import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { JobHandle, KwqmError } from '@kwqm/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanUp, connectClient, ensureDaemonBuilt, makeDaemonHome, startDaemon } from './daemon-harness.js';

const home = makeDaemonHome();

beforeAll(() => ensureDaemonBuilt(), 120_000);
afterAll(() => cleanUp());

async function settled(handle: JobHandle): Promise<string> {
  try {
    await handle.result;
    return 'succeeded';
  } catch (error) {
    return (error as KwqmError).code;
  }
}

it('survives kill -9 with jobs running and queued: every job ends final after a restart, no output is partial', async () => {
  const first = await startDaemon(home);
  const client = await connectClient(home, { reconnectTimeoutMs: 30_000 });

  // Compressible but not trivial, so gzip -9 is still running when we kill the daemon.
  const big = join(home.root, 'big.txt');
  writeFileSync(big, randomBytes(6 * 1024 * 1024).toString('hex'));
  const small = join(home.root, 'small.txt');
  writeFileSync(small, 'small file\n'.repeat(1000));
  const gate = join(home.root, 'gate');

  const running = await client.submit({
    operation: 'compress',
    params: { input: big, format: 'gzip', level: 9 },
  });
  const progressed = new Promise<void>((resolve) => running.onProgress(() => resolve()));
  const queuedCompress = await client.submit({ operation: 'compress', params: { input: small } });
  const gated = await client.submit({ operation: 'wait-for-file', params: { path: gate } });
  const secret = await client.submit({
    operation: 'needs-secret',
    params: { file: 'x' },
    secrets: { token: 'only-in-memory' },
  });
  const noop = await client.submit({ operation: 'noop', params: {} }, {});
  await progressed;
  expect((await client.get(running.id))?.state).toBe('running');

  process.kill(first.pid, 'SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  // Nothing half-written at the final paths.
  expect(existsSync(`${big}.gz`)).toBe(false);
  expect(existsSync(`${small}.gz`)).toBe(false);

  writeFileSync(gate, 'go');
  // The dead daemon left its socket file and lock behind: the new one replaces them.
  await startDaemon(home);

  expect(await settled(running)).toBe('succeeded');
  expect(await settled(queuedCompress)).toBe('succeeded');
  expect(await settled(gated)).toBe('succeeded');
  expect(await settled(secret)).toBe('SECRET_LOST');
  expect(await settled(noop)).toBe('succeeded');

  expect(gunzipSync(readFileSync(`${big}.gz`)).equals(readFileSync(big))).toBe(true);
  expect(gunzipSync(readFileSync(`${small}.gz`)).toString()).toBe(readFileSync(small, 'utf8'));

  // Another client sees the same ids, all final, and why the secret job failed.
  const other = await connectClient(home);
  const jobs = await other.list({ includeFinished: true });
  const states = Object.fromEntries(jobs.map((job) => [job.id, job.state]));
  expect(states).toMatchObject({
    [running.id]: 'succeeded',
    [queuedCompress.id]: 'succeeded',
    [gated.id]: 'succeeded',
    [secret.id]: 'failed',
    [noop.id]: 'succeeded',
  });
  expect((await other.get(secret.id))?.error?.code).toBe('SECRET_LOST');
  expect(readFileSync(join(home.stateDir, 'journal.ndjson'), 'utf8').includes('only-in-memory')).toBe(false);
  other.close();
  client.close();
}, 90_000);
