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
const workerUrl = pathToFileURL(join(import.meta.dirname, '../../node-runtime/dist/worker.js'));
const folder = mkdtempSync(join(tmpdir(), 'kwqm-engine-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const log: string[] = [];

describe('openQueueEngine', () => {
  it('runs jobs in the editor on worker threads with kwqm.useDaemon never: encrypt then decrypt', async () => {
    const engine = await openQueueEngine(
      { ...DEFAULT_SETTINGS, useDaemon: 'never', workers: 1 },
      { workerUrl, cpuCount: 4, log: (line) => log.push(line) },
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
      { workerUrl, cpuCount: 4, log: () => {} },
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
});
