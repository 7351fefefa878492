import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { JobHandle, KwqmError } from '@kwqm/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanUp, connectClient, ensureDaemonBuilt, makeDaemonHome, startDaemon } from './daemon-harness.js';

const home = makeDaemonHome();

/** Temp files of atomic outputs (`.<name>.kwqm-<hex>.tmp`) in `folder`. */
function tempOutputs(folder: string): string[] {
  return readdirSync(folder).filter((name) => /\.kwqm-[0-9a-f]+\.tmp$/.test(name));
}

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
  // Nothing half-written at the final paths; the running compress's temp file is left over.
  expect(existsSync(`${big}.gz`)).toBe(false);
  expect(existsSync(`${small}.gz`)).toBe(false);
  expect(tempOutputs(home.root)).toEqual([expect.stringMatching(/^\.big\.txt\.gz\.kwqm-[0-9a-f]{12}\.tmp$/)]);
  // Files that merely look alike are not the daemon's to remove.
  const lookalikes = [
    '.big.txt.gz.kwqm-123.tmp',
    '.other.gz.kwqm-0123456789ab.tmp',
    'big.txt.gz.kwqm-0123456789ab.tmp',
  ];
  for (const name of lookalikes) writeFileSync(join(home.root, name), 'keep');

  writeFileSync(gate, 'go');
  // The dead daemon left its socket file and lock behind: the new one replaces them.
  await startDaemon(home);

  expect(await settled(running)).toBe('succeeded');
  expect(await settled(queuedCompress)).toBe('succeeded');
  expect(await settled(gated)).toBe('succeeded');
  expect(await settled(secret)).toBe('SECRET_LOST');
  expect(await settled(noop)).toBe('succeeded');

  expect(gunzipSync(readFileSync(`${big}.gz`)).equals(readFileSync(big))).toBe(true);
  // The restarted daemon removed the dead one's temp file before rerunning the job.
  expect(tempOutputs(home.root).sort()).toEqual([...lookalikes].sort());
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

it('a running job canceled just before kill -9 ends canceled after the restart, not run again', async () => {
  const cancelHome = makeDaemonHome();
  const first = await startDaemon(cancelHome);
  const client = await connectClient(cancelHome, { reconnectTimeoutMs: 30_000 });
  const gate = join(cancelHome.root, 'gate');
  const output = join(cancelHome.root, 'ran.txt');

  // It ignores the cancel, so it is still running (cancel requested) when the daemon dies.
  const stubborn = await client.submit({ operation: 'stubborn-wait', params: { gate, output } });
  await new Promise<void>((resolve) => stubborn.onProgress(() => resolve()));
  const canceling = await client.cancel(stubborn.id);
  expect(canceling).toMatchObject({ state: 'running', cancelRequested: true });

  process.kill(first.pid, 'SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  // A rerun would finish at once and write its output.
  writeFileSync(gate, 'go');
  await startDaemon(cancelHome);

  expect(await settled(stubborn)).toBe('CANCELED');
  // One slot: a job submitted now runs after anything restored, so a rerun would have ended by then.
  const after = await client.submit({ operation: 'noop', params: {} });
  await after.result;
  expect(existsSync(output)).toBe(false);
  const other = await connectClient(cancelHome);
  expect(await other.get(stubborn.id)).toMatchObject({ state: 'canceled', error: { code: 'CANCELED' } });
  other.close();
  client.close();
}, 60_000);

it('a stop that cancels running jobs, cut short by kill -9, still ends them canceled after the restart', async () => {
  const stopHome = makeDaemonHome();
  const first = await startDaemon(stopHome);
  const client = await connectClient(stopHome, { reconnectTimeoutMs: 30_000 });
  const gate = join(stopHome.root, 'gate');
  const output = join(stopHome.root, 'ran.txt');
  const stubborn = await client.submit({ operation: 'stubborn-wait', params: { gate, output } });
  await new Promise<void>((resolve) => stubborn.onProgress(() => resolve()));

  // The daemon waits for the job to stop, which it never does: it is stuck stopping.
  await client.shutdown({ cancelRunning: true });
  while ((await client.get(stubborn.id))?.cancelRequested !== true) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  process.kill(first.pid, 'SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  writeFileSync(gate, 'go');
  await startDaemon(stopHome);

  expect(await settled(stubborn)).toBe('CANCELED');
  const after = await client.submit({ operation: 'noop', params: {} });
  await after.result;
  expect(existsSync(output)).toBe(false);
  client.close();
}, 60_000);
