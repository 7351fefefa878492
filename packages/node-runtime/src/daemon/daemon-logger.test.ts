import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DaemonLogger } from './daemon-logger.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kwqm-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('writes levels at or above its minimum to a 0600 file, redacting secret-looking fields', () => {
  const path = join(dir, 'daemon.log');
  const logger = new DaemonLogger(path, 'info');
  logger.debug('hidden');
  logger.info('job queued', { jobId: 'j1', passphrase: 'hunter2', privateKey: 'AGE-SECRET-KEY-1X' });
  logger.error('boom', { code: 'INTERNAL' });
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/ INFO job queued /);
  expect(JSON.parse(lines[0]?.slice(lines[0].indexOf('{')) ?? '')).toEqual({
    jobId: 'j1',
    passphrase: '[redacted]',
    privateKey: '[redacted]',
  });
  expect(lines[1]).toMatch(/ ERROR boom /);
  expect(statSync(path).mode & 0o777).toBe(0o600);
});
