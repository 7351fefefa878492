import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KwqmError, QueueEvent } from '@kwqm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonClient } from '../../src/daemon/daemon-client.js';
import { cleanUp, connectClient, ensureDaemonBuilt, makeDaemonHome, startDaemon } from './daemon-harness.js';

// One daemon (concurrency 1) shared by these cases; each case gates its first job on its own file.
const home = makeDaemonHome();
let alice: DaemonClient;
let bob: DaemonClient;

beforeAll(async () => {
  ensureDaemonBuilt();
  await startDaemon(home);
  alice = await connectClient(home, { clientName: 'alice' });
  bob = await connectClient(home, { clientName: 'bob' });
}, 60_000);

afterAll(() => {
  alice?.close();
  bob?.close();
  cleanUp();
});

function gate(name: string): { path: string; open: () => void } {
  const path = join(home.root, `gate-${name}`);
  return { path, open: () => writeFileSync(path, 'go') };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return (error as KwqmError).code;
  }
}

describe('the daemon queue over real sockets', () => {
  it('makes the socket 0600 in a 0700 folder, and the journal and log private', () => {
    expect(statSync(home.socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(home.root, 'run', 'kwqm')).mode & 0o777).toBe(0o700);
    expect(statSync(home.stateDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(home.stateDir, 'daemon.log')).mode & 0o777).toBe(0o600);
    expect(statSync(join(home.stateDir, 'journal.ndjson')).mode & 0o777).toBe(0o600);
  });

  it('lets two clients see each other’s jobs, and one remove the other’s queued job', async () => {
    const { path, open } = gate('list');
    const blocker = await alice.submit({ operation: 'wait-for-file', params: { path } });
    const mine = await alice.submit({ operation: 'noop', params: { n: 1 } });
    const theirs = await bob.submit({ operation: 'noop', params: { n: 2 } });

    const seenByBob = (await bob.list()).map((job) => [job.id, job.state]);
    expect(seenByBob).toEqual([
      [blocker.id, 'running'],
      [mine.id, 'queued'],
      [theirs.id, 'queued'],
    ]);
    expect((await alice.list()).map((job) => job.id)).toEqual([blocker.id, mine.id, theirs.id]);

    const removed = await bob.remove(mine.id);
    expect(removed.state).toBe('removed');
    expect(await codeOf(mine.result)).toBe('REMOVED');
    expect(await codeOf(bob.remove(blocker.id))).toBe('INVALID_STATE');
    expect(await codeOf(bob.remove('no-such-job'))).toBe('JOB_NOT_FOUND');

    open();
    expect(await blocker.result).toEqual({ released: path });
    expect(await theirs.result).toBeNull();
    expect((await alice.get(mine.id))?.state).toBe('removed');
    expect((await alice.list({ includeFinished: true })).map((job) => job.id)).toEqual(
      expect.arrayContaining([blocker.id, mine.id, theirs.id]),
    );
  });

  it('runs a job moved to high priority before the jobs queued ahead of it', async () => {
    const { path, open } = gate('priority');
    const started: string[] = [];
    const stop = alice.subscribe((event: QueueEvent) => {
      if (event.type === 'started') started.push(event.job.id);
    });
    const blocker = await alice.submit({ operation: 'wait-for-file', params: { path } });
    const first = await alice.submit({ operation: 'noop', params: { n: 'first' } });
    const second = await bob.submit({ operation: 'noop', params: { n: 'second' } });
    const moved = await bob.setPriority(second.id, 'high');
    expect(moved.priority).toBe('high');
    expect((await alice.list()).map((job) => job.id)).toEqual([blocker.id, second.id, first.id]);
    open();
    await Promise.all([first.result, second.result]);
    stop();
    expect(started.filter((id) => id !== blocker.id)).toEqual([second.id, first.id]);
  });

  it('sends every event of every client’s jobs to a subscriber of all', async () => {
    const { path, open } = gate('callbacks');
    const everything: QueueEvent[] = [];
    const carol = await connectClient(home, { clientName: 'carol' });
    const stop = carol.subscribe((event) => everything.push(event));
    // The subscription request is sent before the first submit; a list round trip makes sure it landed.
    await carol.list();
    const blocker = await alice.submit({ operation: 'wait-for-file', params: { path } });
    const bobs = await bob.submit({ operation: 'noop', params: { owner: 'bob' } });
    open();
    await blocker.result;
    await bobs.result;
    const carolSaw = () =>
      everything.map((event) => `${event.type}:${event.type === 'progress' ? event.jobId : event.job.id}`);
    // Carol's connection is not ordered with alice's and bob's: wait until her copy arrived.
    await expect
      .poll(carolSaw)
      .toEqual(
        expect.arrayContaining([
          `queued:${blocker.id}`,
          `started:${blocker.id}`,
          `succeeded:${blocker.id}`,
          `queued:${bobs.id}`,
          `started:${bobs.id}`,
          `succeeded:${bobs.id}`,
        ]),
      );
    stop();
    carol.close();
  });

  it('cancels a running job from another client', async () => {
    const { path } = gate('cancel');
    const running = await alice.submit({ operation: 'wait-for-file', params: { path } });
    await expect.poll(async () => (await bob.get(running.id))?.state).toBe('running');
    const canceled = await bob.cancel(running.id);
    // Still running until its worker has stopped; the final event comes after that.
    expect(canceled).toMatchObject({ state: 'running', cancelRequested: true });
    expect(await codeOf(running.result)).toBe('CANCELED');
    expect((await bob.get(running.id))?.state).toBe('canceled');
  });

  it('waits for another client’s job by id, and rejects an unknown id with JOB_NOT_FOUND', async () => {
    const { path, open } = gate('wait');
    const job = await alice.submit({ operation: 'wait-for-file', params: { path } });
    const result = bob.waitForResult(job.id);
    open();
    expect(await result).toEqual({ released: path });
    expect(await codeOf(bob.waitForResult('nope-1'))).toBe('JOB_NOT_FOUND');
  });

  it('keeps secrets out of list, events, the journal and the log', async () => {
    const events: QueueEvent[] = [];
    const stop = bob.subscribe((event) => events.push(event));
    await bob.list();
    const job = await alice.submit({
      operation: 'needs-secret',
      params: { file: 'x' },
      secrets: { token: 'hunter2-very-secret' },
    });
    expect(await job.result).toEqual({ tokenLength: 19, params: { file: 'x' } });
    await expect
      .poll(() => events.some((event) => event.type === 'succeeded' && event.job.id === job.id))
      .toBe(true);
    stop();
    const everywhere = [
      JSON.stringify(await bob.list({ includeFinished: true })),
      JSON.stringify(events),
      readFileSync(join(home.stateDir, 'journal.ndjson'), 'utf8'),
      readFileSync(join(home.stateDir, 'daemon.log'), 'utf8'),
    ];
    for (const text of everywhere) expect(text.includes('hunter2')).toBe(false);
    expect(readFileSync(join(home.stateDir, 'journal.ndjson'), 'utf8')).toContain('"hadSecrets":true');
  });

  it('lists a queue larger than the 1 MiB request limit', async () => {
    const { path, open } = gate('big-list');
    const blocker = await alice.submit({ operation: 'wait-for-file', params: { path } });
    const padding = 'p'.repeat(64 * 1024);
    const handles = [];
    for (let index = 0; index < 18; index++) {
      handles.push(await alice.submit({ operation: 'noop', params: { index, padding } }));
    }
    const listed = await bob.list();
    expect(listed.map((job) => job.id)).toEqual([blocker.id, ...handles.map((handle) => handle.id)]);
    open();
    await Promise.all(handles.map((handle) => handle.result));
  });

  it('answers a bad job with a typed error', async () => {
    expect(await codeOf(alice.submit({ operation: 'noop', params: 1, secrets: { token: 'x' } }))).toBe(
      'INVALID_JOB',
    );
    expect(await codeOf(alice.setPriority('nope', 'high'))).toBe('JOB_NOT_FOUND');
    const failing = await alice.submit({ operation: 'no-such-operation', params: {} });
    expect(await codeOf(failing.result)).toBe('UNKNOWN_OPERATION');
  });

  it('fails a job whose result JSON cannot encode, and keeps answering list, events and the journal', async () => {
    const job = await alice.submit({ operation: 'bigint-result', params: {} });
    expect(await codeOf(job.result)).toBe('OPERATION_FAILED');
    const listed = await bob.list({ includeFinished: true });
    expect(listed.find((snapshot) => snapshot.id === job.id)).toMatchObject({
      state: 'failed',
      error: { code: 'OPERATION_FAILED' },
    });
    const after = await alice.submit({ operation: 'noop', params: { n: 'after' } });
    expect(await codeOf(after.result)).toBe('resolved');
    const finished = readFileSync(join(home.stateDir, 'journal.ndjson'), 'utf8')
      .split('\n')
      .filter((line) => line.includes(job.id) && line.includes('"finished"'));
    expect(finished).toHaveLength(1);
  });

  it('fails a job whose error details JSON cannot encode with its own code, and keeps answering list', async () => {
    const job = await alice.submit({ operation: 'odd-details', params: {} });
    const error = await job.result.catch((caught: KwqmError) => caught);
    expect(error).toMatchObject({ code: 'INVALID_JOB', details: { field: 'size' } });
    const listed = await bob.list({ includeFinished: true });
    expect(listed.find((snapshot) => snapshot.id === job.id)?.state).toBe('failed');
  });
});
