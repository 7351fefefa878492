import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JobSnapshot } from '@kwqm/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openQueueEngine } from './queue-engine.js';
import { DEFAULT_SETTINGS } from './settings.js';

// The real engine: core's queue over node-runtime's worker threads, running the built worker
// entry (packages/node-runtime/dist/worker.js; turbo builds dependencies before tests).
const runtimeDist = join(import.meta.dirname, '../../node-runtime/dist');
const workerUrl = pathToFileURL(join(runtimeDist, 'worker.js'));
const daemonEntry = join(runtimeDist, 'daemon.js');
const folder = mkdtempSync(join(tmpdir(), 'kwqm-engine-'));
// A daemon of this test's own: its socket and state in the temp folder, never the user's.
const socketPath = join(folder, 'kwqm.sock');
const daemonEnv = { KWQM_STATE_DIR: join(folder, 'state') };
const daemonPids = new Set<number>();
afterAll(async () => {
  for (const pid of daemonPids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await waitFor(() => [...daemonPids].every((pid) => !isAlive(pid)));
  rmSync(folder, { recursive: true, force: true });
});
const log: string[] = [];
const baseOptions = { workerUrl, daemonEntry, cpuCount: 4 };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('openQueueEngine', () => {
  it('runs jobs in the editor on worker threads with kwqm.useDaemon never: encrypt then decrypt', async () => {
    const engine = await openQueueEngine(
      { ...DEFAULT_SETTINGS, useDaemon: 'never', workers: 1 },
      { ...baseOptions, log: (line) => log.push(line) },
    );
    try {
      expect(engine.location).toBe('editor');
      const input = join(folder, 'plain.txt');
      writeFileSync(input, 'attack at dawn\n');
      const events: string[] = [];
      const unsubscribe = engine.service.subscribe((event) => {
        if (event.type !== 'progress') events.push(`${event.type}:${event.job.operation}`);
      });
      const encrypted = await engine.service.submit({
        operation: 'encrypt',
        params: { input, workFactor: 10 },
        secrets: { passphrase: 'correct horse' },
      });
      expect(await encrypted.result).toMatchObject({ output: `${input}.age` });
      const decrypted = await engine.service.submit({
        operation: 'decrypt',
        params: { input: `${input}.age`, output: join(folder, 'round-trip.txt') },
        secrets: { passphrase: 'correct horse' },
      });
      await decrypted.result;
      expect(readFileSync(join(folder, 'round-trip.txt'), 'utf8')).toBe('attack at dawn\n');
      // Snapshots the view and the log are built from never hold the passphrase.
      const listed: JobSnapshot[] = await engine.service.list({ includeFinished: true });
      expect(JSON.stringify(listed)).not.toContain('correct horse');
      expect(events).toEqual([
        'queued:encrypt',
        'started:encrypt',
        'succeeded:encrypt',
        'queued:decrypt',
        'started:decrypt',
        'succeeded:decrypt',
      ]);
      unsubscribe();
    } finally {
      await engine.close();
    }
    expect(log.some((line) => line.includes('1 worker thread'))).toBe(true);
  });

  it('fails a wrong passphrase with its code and leaves no output', async () => {
    const engine = await openQueueEngine(
      { ...DEFAULT_SETTINGS, useDaemon: 'never', workers: 1 },
      { ...baseOptions, log: () => {} },
    );
    try {
      const input = join(folder, 'secret.txt');
      writeFileSync(input, 'x');
      await (
        await engine.service.submit({
          operation: 'encrypt',
          params: { input, workFactor: 10 },
          secrets: { passphrase: 'a' },
        })
      ).result;
      const handle = await engine.service.submit({
        operation: 'decrypt',
        params: { input: `${input}.age`, output: join(folder, 'never.txt') },
        secrets: { passphrase: 'b' },
      });
      await expect(handle.result).rejects.toMatchObject({ code: 'AGE_WRONG_PASSPHRASE' });
      expect(() => readFileSync(join(folder, 'never.txt'))).toThrow();
    } finally {
      await engine.close();
    }
  });

  it('with kwqm.useDaemon auto and no daemon, says so and runs in the editor', async () => {
    const lines: string[] = [];
    const engine = await openQueueEngine(
      { ...DEFAULT_SETTINGS, useDaemon: 'auto', workers: 1 },
      { ...baseOptions, socketPath, log: (line) => lines.push(line) },
    );
    await engine.close();
    expect(engine.location).toBe('editor');
    expect(lines[0]).toContain('DAEMON_UNAVAILABLE');
  });

  it('with always, starts the daemon and runs jobs there; auto then shares that queue', async () => {
    const started = await openQueueEngine(
      { ...DEFAULT_SETTINGS, useDaemon: 'always', workers: 1 },
      { ...baseOptions, socketPath, daemonEnv, log: (line) => log.push(line) },
    );
    const pidLine = log.find((line) => line.includes('kwqm daemon (pid')) ?? '';
    const pid = Number(/pid (\d+)/.exec(pidLine)?.[1]);
    expect(pid).toBeGreaterThan(0);
    daemonPids.add(pid);
    const shared = await openQueueEngine(
      { ...DEFAULT_SETTINGS, useDaemon: 'auto' },
      { ...baseOptions, socketPath, log: () => {} },
    );
    try {
      expect(started.location).toBe('daemon');
      expect(shared.location).toBe('daemon');
      const input = join(folder, 'hash-me.txt');
      writeFileSync(input, 'abc');
      const seenByOther: string[] = [];
      const unsubscribe = shared.service.subscribe((event) => {
        if (event.type !== 'progress') seenByOther.push(event.type);
      });
      const handle = await started.service.submit({ operation: 'hash', params: { input } });
      expect(await handle.result).toMatchObject({
        digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      });
      await waitFor(() => seenByOther.includes('succeeded'));
      expect(seenByOther).toContain('succeeded');
      expect((await shared.service.get(handle.id))?.state).toBe('succeeded');
      unsubscribe();
    } finally {
      await shared.close();
      await started.close();
    }
  });
});
