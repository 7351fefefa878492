import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from '@kwqm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonClient } from '../../src/daemon/daemon-client.js';
import { cleanUp, connectClient, ensureDaemonBuilt, makeDaemonHome, startDaemon } from './daemon-harness.js';
import { RawConnection } from './raw-connection.js';

const home = makeDaemonHome();
let bystander: DaemonClient;

beforeAll(async () => {
  ensureDaemonBuilt();
  await startDaemon(home);
  bystander = await connectClient(home, { clientName: 'bystander' });
}, 60_000);

afterAll(() => {
  bystander?.close();
  cleanUp();
});

async function greeted(): Promise<RawConnection> {
  const connection = await RawConnection.open(home.socketPath);
  connection.request({ id: 0, type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'raw' });
  expect(await connection.response(0)).toMatchObject({
    ok: true,
    result: { protocolVersion: PROTOCOL_VERSION },
  });
  return connection;
}

/** The bystander still works: a full submit round trip. */
async function bystanderWorks(): Promise<void> {
  const handle = await bystander.submit({ operation: 'noop', params: {} });
  expect(await handle.result).toBeNull();
}

function codeOf(frame: Record<string, unknown>): unknown {
  return (frame.error as { code?: unknown } | undefined)?.code;
}

describe('protocol errors stay on the connection that made them', () => {
  it('answers garbage lines with PROTOCOL_ERROR and keeps reading', async () => {
    const connection = await RawConnection.open(home.socketPath);
    connection.send('this is not json\n{"half":\n[1,2,3]\n"a string"\n');
    await connection.waitFor(() => connection.frames.length >= 4);
    expect(connection.frames.map((frame) => [frame.id, frame.ok, codeOf(frame)])).toEqual([
      [null, false, 'PROTOCOL_ERROR'],
      [null, false, 'PROTOCOL_ERROR'],
      [null, false, 'PROTOCOL_ERROR'],
      [null, false, 'PROTOCOL_ERROR'],
    ]);
    connection.request({ id: 7, type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'raw' });
    expect((await connection.response(7)).ok).toBe(true);
    await bystanderWorks();
    connection.close();
  });

  it('requires hello first, and answers unknown or malformed requests with their id', async () => {
    const connection = await RawConnection.open(home.socketPath);
    connection.request({ id: 1, type: 'list' });
    expect(codeOf(await connection.response(1))).toBe('PROTOCOL_ERROR');
    connection.request({ id: 2, type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'raw' });
    expect((await connection.response(2)).ok).toBe(true);
    connection.request({ id: 3, type: 'teleport' });
    connection.request({ id: 4, type: 'set-priority', jobId: 'x', priority: 'urgent' });
    connection.request({ id: 5, type: 'submit', spec: { operation: 'noop' } });
    for (const id of [3, 4, 5]) expect(codeOf(await connection.response(id))).toBe('PROTOCOL_ERROR');
    connection.request({ id: 6, type: 'list' });
    expect(await connection.response(6)).toMatchObject({ ok: true });
    connection.close();
  });

  it('closes a connection that sends an oversized frame, after saying why', async () => {
    const connection = await greeted();
    const huge = `{"id":9,"type":"get","jobId":"${'x'.repeat(MAX_FRAME_BYTES)}"}\n`;
    connection.send(huge);
    const answer = await connection.response(null);
    expect(codeOf(answer)).toBe('PROTOCOL_ERROR');
    await connection.closed;
    await bystanderWorks();
  });

  it('closes a connection that speaks another protocol version', async () => {
    const connection = await RawConnection.open(home.socketPath);
    connection.request({ id: 1, type: 'hello', protocolVersion: PROTOCOL_VERSION + 1, client: 'future' });
    const answer = await connection.response(1);
    expect(answer).toMatchObject({ ok: false, error: { code: 'PROTOCOL_ERROR', errno: 'EPROTO' } });
    expect((answer.error as { details: unknown }).details).toEqual({
      expected: PROTOCOL_VERSION,
      got: PROTOCOL_VERSION + 1,
    });
    await connection.closed;
    await bystanderWorks();
  });

  it('sends a job’s events only to the connection that submitted it', async () => {
    const first = await greeted();
    const second = await greeted();
    const gate = join(home.root, 'gate-callbacks');
    first.request({ id: 1, type: 'submit', spec: { operation: 'wait-for-file', params: { path: gate } } });
    const firstJob = ((await first.response(1)).result as { job: { id: string } }).job.id;
    second.request({ id: 1, type: 'submit', spec: { operation: 'noop', params: {} } });
    const secondJob = ((await second.response(1)).result as { job: { id: string } }).job.id;
    writeFileSync(gate, 'go');
    await first.waitFor(
      (frame) => first.eventKeys().includes(`succeeded:${firstJob}`) && frame !== undefined,
    );
    await second.waitFor(
      (frame) => second.eventKeys().includes(`succeeded:${secondJob}`) && frame !== undefined,
    );
    // A round trip on each connection: anything the daemon wrote there before is read by now.
    first.request({ id: 2, type: 'list' });
    second.request({ id: 2, type: 'list' });
    await first.response(2);
    await second.response(2);
    // Each saw its own job end, and nothing of the other's.
    expect(first.eventKeys().every((key) => key.endsWith(`:${firstJob}`))).toBe(true);
    expect(second.eventKeys().every((key) => key.endsWith(`:${secondJob}`))).toBe(true);
    expect(second.eventKeys()).toContain(`started:${secondJob}`);
    first.close();
    second.close();
  });
});

describe('throttling over the socket', () => {
  const small = makeDaemonHome({ KWQM_CAPACITY: '1', KWQM_MAX_WAITING_PRODUCERS: '1' });

  beforeAll(async () => {
    await startDaemon(small);
  }, 60_000);

  it('answers QUEUE_FULL past the producer limit, and an aborted waiting submit frees its place', async () => {
    const client = await connectClient(small);
    const gate = join(small.root, 'gate-throttle');
    const running = await client.submit({ operation: 'wait-for-file', params: { path: gate } });
    const queued = await client.submit({ operation: 'noop', params: { n: 1 } });
    const controller = new AbortController();
    const waiting = client.submit({ operation: 'noop', params: { n: 2 } }, { signal: controller.signal });
    await expect.poll(async () => (await client.list()).length).toBe(2);
    // The one waiting place is taken: the next submit is turned away at once.
    await expect(client.submit({ operation: 'noop', params: { n: 3 } })).rejects.toMatchObject({
      code: 'QUEUE_FULL',
      errno: 'ENOSPC',
    });
    controller.abort(new Error('changed my mind'));
    await expect(waiting).rejects.toThrow('changed my mind');
    // Its place is free again: this submit waits instead of failing.
    const next = client.submit({ operation: 'noop', params: { n: 4 } });
    writeFileSync(gate, 'go');
    await running.result;
    await queued.result;
    expect(await (await next).result).toBeNull();
    const ran = (await client.list({ includeFinished: true })).map((job) => (job.params as { n?: number }).n);
    expect(ran).not.toContain(2);
    client.close();
  });
});

describe('connections that never say hello', () => {
  const quickHome = makeDaemonHome({ KWQM_HELLO_TIMEOUT_MS: '300' });

  it('are answered TIMEOUT and closed, while a greeted client keeps working', async () => {
    await startDaemon(quickHome);
    const greetedClient = await connectClient(quickHome, { clientName: 'greeted' });
    const silent = await RawConnection.open(quickHome.socketPath);
    const stalled = await RawConnection.open(quickHome.socketPath);
    // Half a hello: no newline ever comes.
    stalled.send(`{"id":0,"type":"hello","protocolVersion":${PROTOCOL_VERSION}`);

    await silent.closed;
    await stalled.closed;
    for (const connection of [silent, stalled]) {
      expect(connection.frames.map((frame) => [frame.id, frame.ok, codeOf(frame)])).toEqual([
        [null, false, 'TIMEOUT'],
      ]);
    }
    // Connected before both timed out, idle longer than the timeout, and unaffected.
    const handle = await greetedClient.submit({ operation: 'noop', params: {} });
    expect(await handle.result).toBeNull();
    greetedClient.close();
  }, 20_000);
});
