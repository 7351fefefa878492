import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobSnapshot } from '@kwqm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonLogger } from './daemon-logger.js';
import { JobJournal } from './job-journal.js';
import type { JournaledJob } from './journal-records.js';

let dir: string;
let logger: DaemonLogger;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kwqm-journal-'));
  logger = new DaemonLogger(join(dir, 'daemon.log'), 'debug');
  path = join(dir, 'journal.ndjson');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function job(id: string, hadSecrets = false): JournaledJob {
  return {
    id,
    operation: 'hash',
    params: { input: `/in/${id}` },
    priority: 'medium',
    createdAt: 1,
    hadSecrets,
  };
}

function finished(id: string, state: JobSnapshot['state'] = 'succeeded'): JobSnapshot {
  return { id, operation: 'hash', params: {}, priority: 'medium', state, createdAt: 1, finishedAt: 2 };
}

describe('JobJournal', () => {
  it('restores queued and running jobs in order with their latest priority, and the history', () => {
    const journal = JobJournal.open(path, { logger });
    journal.append({ type: 'queued', job: job('a') });
    journal.append({ type: 'queued', job: job('b', true) });
    journal.append({ type: 'queued', job: job('c') });
    journal.append({ type: 'started', id: 'a', at: 5 });
    journal.append({ type: 'priority', id: 'c', priority: 'high' });
    journal.append({ type: 'finished', job: finished('b', 'removed') });
    journal.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const reopened = JobJournal.open(path, { logger });
    expect(reopened.restoredJobs()).toEqual([
      { ...job('a'), wasRunning: true },
      { ...job('c'), priority: 'high', wasRunning: false },
    ]);
    expect(reopened.history().map((snapshot) => [snapshot.id, snapshot.state])).toEqual([['b', 'removed']]);
    reopened.close();
  });

  it('never writes secrets because records have no place for them', () => {
    const journal = JobJournal.open(path, { logger });
    journal.append({ type: 'queued', job: job('a', true) });
    journal.close();
    expect(JSON.parse(readFileSync(path, 'utf8').trim())).toEqual({ type: 'queued', job: job('a', true) });
  });

  it('skips corrupt and truncated lines with a warning instead of failing', () => {
    writeFileSync(
      path,
      [
        JSON.stringify({ type: 'queued', job: job('a') }),
        '{"type":"queued","job":{"id":"broken"',
        'not json at all',
        JSON.stringify({ type: 'queued', job: { id: 'x' } }),
        JSON.stringify({ type: 'finished', job: { id: 'y', state: 'exploded' } }),
        JSON.stringify({ type: 'mystery' }),
        JSON.stringify({ type: 'queued', job: job('b') }),
        JSON.stringify({ type: 'cancel', id: 'b' }),
        '{"type":"started","id":"b","at":',
      ].join('\n'),
    );
    const journal = JobJournal.open(path, { logger });
    expect(journal.restoredJobs().map((restored) => restored.id)).toEqual(['a', 'b']);
    journal.close();
    const warnings = readFileSync(join(dir, 'daemon.log'), 'utf8')
      .split('\n')
      .filter((line) => line.includes(' WARN '));
    expect(warnings).toHaveLength(7);
  });

  it('compacts on open: finished jobs leave only their final record, bounded by the history limit', () => {
    const journal = JobJournal.open(path, { logger, historyLimit: 2 });
    for (const id of ['a', 'b', 'c', 'd']) {
      journal.append({ type: 'queued', job: job(id) });
      journal.append({ type: 'started', id, at: 3 });
      journal.append({ type: 'finished', job: finished(id) });
    }
    journal.append({ type: 'queued', job: job('e') });
    journal.close();
    const reopened = JobJournal.open(path, { logger, historyLimit: 2 });
    reopened.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).type)).toEqual(['finished', 'finished', 'queued']);
    expect(reopened.history().map((snapshot) => snapshot.id)).toEqual(['d', 'c']);
  });

  it("keeps a running job's cancel request through compactions until the job finishes", () => {
    const journal = JobJournal.open(path, { logger });
    for (const id of ['a', 'b', 'c']) {
      journal.append({ type: 'queued', job: job(id) });
      journal.append({ type: 'started', id, at: 3 });
    }
    journal.append({ type: 'cancel', id: 'a', at: 4 });
    journal.append({ type: 'cancel', id: 'c', at: 4 });
    // c stopped after all; the finished record supersedes the request.
    journal.append({ type: 'finished', job: finished('c', 'canceled') });
    journal.close();
    // Two reopenings: the first compacts, the second reads what the compaction wrote.
    JobJournal.open(path, { logger }).close();
    const reopened = JobJournal.open(path, { logger });
    expect(reopened.restoredJobs()).toEqual([
      { ...job('a'), wasRunning: true, cancelRequested: true },
      { ...job('b'), wasRunning: true },
    ]);
    reopened.close();
  });

  it('compacts while running once the file grows past the threshold', () => {
    const journal = JobJournal.open(path, { logger, compactAfter: 10, historyLimit: 5 });
    for (let index = 0; index < 50; index += 1) {
      journal.append({ type: 'queued', job: job(`j${index}`) });
      journal.append({ type: 'finished', job: finished(`j${index}`) });
    }
    const lineCount = readFileSync(path, 'utf8').trim().split('\n').length;
    expect(lineCount).toBeLessThanOrEqual(5 + 10 + 1);
    journal.close();
  });

  it('appends after a restart to the compacted file', () => {
    const journal = JobJournal.open(path, { logger });
    journal.append({ type: 'queued', job: job('a') });
    journal.close();
    appendFileSync(path, 'garbage-tail');
    const reopened = JobJournal.open(path, { logger });
    reopened.append({ type: 'queued', job: job('b') });
    reopened.close();
    const third = JobJournal.open(path, { logger });
    expect(third.restoredJobs().map((restored) => restored.id)).toEqual(['a', 'b']);
    third.close();
  });
});
