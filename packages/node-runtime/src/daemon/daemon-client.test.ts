import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobSnapshot, type KwqmError, PROTOCOL_VERSION } from '@kwqm/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectOrStart } from './connect-or-start.js';
import { DaemonClient } from './daemon-client.js';

// A scripted peer on a real Unix socket: it writes what a daemon may write, in exactly the reads
// a test needs (a real daemon cannot be made to put its answer and an event in one write).
let dir: string;
let server: Server;
const sockets = new Set<Socket>();
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kwqm-client-'));
});
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function serve(onRequest: (socket: Socket, request: Record<string, unknown>) => void): Promise<string> {
  const socketPath = join(dir, 'peer.sock');
  server = createServer((socket) => {
    sockets.add(socket);
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      buffered += text;
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const request = JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>;
        buffered = buffered.slice(newline + 1);
        if (request.type === 'hello') {
          socket.write(
            `${JSON.stringify({ id: request.id, ok: true, result: { protocolVersion: PROTOCOL_VERSION, server: 'peer', pid: 1 } })}\n`,
          );
        } else onRequest(socket, request);
        newline = buffered.indexOf('\n');
      }
    });
  });
  return new Promise((resolve) => server.listen(socketPath, () => resolve(socketPath)));
}

/** A peer that answers every request with a queued job, recording each request's type in `sent`. */
function serveQueued(sent: unknown[]): Promise<string> {
  return serve((socket, request) => {
    sent.push(request.type);
    socket.write(`${JSON.stringify({ id: request.id, ok: true, result: { job: snapshot('queued') } })}\n`);
  });
}

function snapshot(state: JobSnapshot['state'], extra: Partial<JobSnapshot> = {}): JobSnapshot {
  return { id: 'j1', operation: 'noop', params: {}, priority: 'medium', state, createdAt: 1, ...extra };
}

describe('DaemonClient', () => {
  it('hands out a submit before dispatching the events read with its answer, so none is missed', async () => {
    const socketPath = await serve((socket, request) => {
      const frames = [
        { id: request.id, ok: true, result: { job: snapshot('queued') } },
        { event: { type: 'started', job: snapshot('running') } },
        { event: { type: 'progress', jobId: 'j1', progress: { done: 1, total: 2 } } },
        { event: { type: 'succeeded', job: snapshot('succeeded', { result: 42 }) } },
      ];
      // One write: the client reads the answer and the job's events in one chunk.
      socket.write(frames.map((frame) => `${JSON.stringify(frame)}\n`).join(''));
    });
    const client = await DaemonClient.connect({ socketPath, reconnectTimeoutMs: 0 });
    const handle = await client.submit({ operation: 'noop', params: {} });
    const progress: unknown[] = [];
    handle.onProgress((update) => progress.push(update));
    expect(await handle.result).toBe(42);
    expect(progress).toEqual([{ done: 1, total: 2 }]);
    client.close();
  });

  it('refuses a spec or priority the daemon would refuse with INVALID_JOB, and a non-function listener, as the in-process queue does', async () => {
    const sent: unknown[] = [];
    const client = await DaemonClient.connect({ socketPath: await serveQueued(sent), reconnectTimeoutMs: 0 });
    const fieldOf = (promise: Promise<unknown>): Promise<unknown> =>
      promise.then(
        () => 'resolved',
        (error: KwqmError) => [error.code, error.details?.field],
      );
    const loose = (spec: unknown) => spec as never;
    expect(await fieldOf(client.submit(loose({ operation: '', params: {} })))).toEqual([
      'INVALID_JOB',
      'operation',
    ]);
    expect(await fieldOf(client.submit(loose({ operation: 'noop' })))).toEqual(['INVALID_JOB', 'params']);
    expect(
      await fieldOf(client.submit(loose({ operation: 'noop', params: {}, priority: 'urgent' }))),
    ).toEqual(['INVALID_JOB', 'priority']);
    expect(await fieldOf(client.submit(loose({ operation: 'noop', params: {}, label: 5 })))).toEqual([
      'INVALID_JOB',
      'label',
    ]);
    expect(await fieldOf(client.submit(loose({ operation: 'noop', params: {}, secrets: 'pw' })))).toEqual([
      'INVALID_JOB',
      'secrets',
    ]);
    expect(await fieldOf(client.submit(loose({ operation: 'noop', params: { size: 1n } })))).toEqual([
      'INVALID_JOB',
      'spec',
    ]);
    expect(await fieldOf(client.setPriority('j1', loose('urgent')))).toEqual(['INVALID_JOB', 'priority']);
    const notAFunction = (() => {
      try {
        client.subscribe(loose(5));
      } catch (error) {
        return [(error as KwqmError).code, (error as KwqmError).details?.option];
      }
      return 'accepted';
    })();
    expect(notAFunction).toEqual(['INVALID_OPTION', 'listener']);
    expect(sent).toEqual([]);
    expect(await fieldOf(client.submit({ operation: 'noop', params: {} }))).toBe('resolved');
    expect(sent).toEqual(['submit']);
    client.close();
  });

  it('refuses unknown, mistyped or out-of-range connect options with INVALID_OPTION before connecting', async () => {
    let connections = 0;
    const socketPath = await serve(() => {});
    server.on('connection', () => {
      connections += 1;
    });
    const optionOf = (promise: Promise<unknown>): Promise<unknown> =>
      promise.then(
        (client) => {
          (client as DaemonClient).close();
          return 'connected';
        },
        (error: KwqmError) => [error.code, error.details?.option],
      );
    const loose = (options: unknown) => options as never;
    const cases: Array<[Record<string, unknown> | string, string]> = [
      [{ socketPath, connectTimeoutMs: 'x' }, 'connectTimeoutMs'],
      [{ socketPath, connectTimeoutMs: 2 ** 31 }, 'connectTimeoutMs'],
      [{ socketPath, reconnectTimeoutMs: -1 }, 'reconnectTimeoutMs'],
      [{ socketPath, maxFrameBytes: 0 }, 'maxFrameBytes'],
      [{ socketPath, clientName: 7 }, 'clientName'],
      [{ socketPath, restartDaemon: 'yes' }, 'restartDaemon'],
      [{ socketPath: 5 }, 'socketPath'],
      [{ socketPath: '' }, 'socketPath'],
      [{ socketpath: socketPath }, 'socketpath'],
      [{ socketPath, startTimeoutMs: 1000 }, 'startTimeoutMs'],
      ['fast', 'options'],
    ];
    for (const [options, option] of cases) {
      expect(await optionOf(DaemonClient.connect(loose(options)))).toEqual(['INVALID_OPTION', option]);
    }
    const missing = join(dir, 'missing-daemon.js');
    for (const [options, option] of [
      [{ socketPath, startTimeoutMs: 'x', daemonEntry: missing }, 'startTimeoutMs'],
      [{ socketPath, env: 'KWQM_CONCURRENCY=1', daemonEntry: missing }, 'env'],
      [{ socketPath, daemonEntry: 3 }, 'daemonEntry'],
      [{ socketPath, sockePath: socketPath }, 'sockePath'],
      [{ socketPath, connectTimeoutMs: 0 }, 'connectTimeoutMs'],
    ] as const) {
      expect(await optionOf(connectOrStart(loose(options)))).toEqual(['INVALID_OPTION', option]);
    }
    expect(connections).toBe(0);
    const client = await DaemonClient.connect({ socketPath, connectTimeoutMs: 1000, reconnectTimeoutMs: 0 });
    client.close();
    expect(connections).toBe(1);
  });

  it('refuses submit options that are not an object and a signal that is not an AbortSignal, sending nothing', async () => {
    const sent: unknown[] = [];
    const client = await DaemonClient.connect({ socketPath: await serveQueued(sent), reconnectTimeoutMs: 0 });
    const spec = { operation: 'noop', params: {} };
    const optionOf = (submit: () => Promise<unknown>): Promise<unknown> => {
      try {
        return submit().then(
          () => 'resolved',
          (error: KwqmError) => [error.code, error.details?.option],
        );
      } catch (error) {
        return Promise.resolve(['thrown', (error as Error).name]);
      }
    };
    const loose = (options: unknown) => options as never;
    expect(await optionOf(() => client.submit(spec, loose(null)))).toEqual(['INVALID_OPTION', 'options']);
    expect(await optionOf(() => client.submit(spec, loose({ signal: 'x' })))).toEqual([
      'INVALID_OPTION',
      'signal',
    ]);
    expect(await optionOf(() => client.submit(spec, loose({ signal: {} })))).toEqual([
      'INVALID_OPTION',
      'signal',
    ]);
    expect(sent).toEqual([]);
    expect(await optionOf(() => client.submit(spec, { signal: new AbortController().signal }))).toBe(
      'resolved',
    );
    expect(sent).toEqual(['submit']);
    client.close();
  });

  it('refuses params and secrets that JSON would change on the way (a Map, a Date, NaN), naming the path only', async () => {
    const sent: unknown[] = [];
    const client = await DaemonClient.connect({ socketPath: await serveQueued(sent), reconnectTimeoutMs: 0 });
    const detailsOf = (promise: Promise<unknown>): Promise<unknown> =>
      promise.then(
        () => 'resolved',
        (error: KwqmError) => [error.code, error.details?.field, error.details?.path],
      );
    class Point {
      x = 1;
    }
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ params: { sizes: new Map([['a', 1]]) } }, 'params.sizes'],
      [{ params: { tags: new Set(['a']) } }, 'params.tags'],
      [{ params: { at: new Date(0) } }, 'params.at'],
      [{ params: { bytes: new Uint8Array(2) } }, 'params.bytes'],
      [{ params: { ratio: Number.NaN } }, 'params.ratio'],
      [{ params: { list: [1, undefined] } }, 'params.list[1]'],
      [{ params: { onDone: () => {} } }, 'params.onDone'],
      [{ params: new Point() }, 'params'],
      [{ params: {}, secrets: { passphrase: Symbol('pw') } }, 'secrets.passphrase'],
    ];
    for (const [spec, path] of cases) {
      const error = await detailsOf(client.submit({ operation: 'noop', ...spec } as never));
      expect(error).toEqual(['INVALID_JOB', 'spec', path]);
    }
    const secretError = await client
      .submit({ operation: 'noop', params: {}, secrets: { passphrase: new String('hunter2') } } as never)
      .catch((error: KwqmError) => error);
    expect(String((secretError as KwqmError).message)).not.toContain('hunter2');
    expect(sent).toEqual([]);
    const plain = { operation: 'noop', params: { a: [1, 'x', null, { b: true }], skipped: undefined } };
    expect(await detailsOf(client.submit(plain))).toBe('resolved');
    expect(sent).toEqual(['submit']);
    client.close();
  });

  it('connectOrStart refuses a bad KWQM_* daemon option naming it, starting nothing', async () => {
    const entry = join(dir, 'never-started.mjs');
    writeFileSync(
      entry,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(dir, 'started'))}, '');\n`,
    );
    for (const [env, option] of [
      [{ KWQM_CONCURRENCY: 'abc' }, 'KWQM_CONCURRENCY'],
      [{ KWQM_CONCURRENCY: '5000' }, 'concurrency'],
      [{ KWQM_LOG_LEVEL: 'loud' }, 'KWQM_LOG_LEVEL'],
    ] as const) {
      const error = await connectOrStart({
        socketPath: join(dir, 'none.sock'),
        daemonEntry: entry,
        env,
      }).catch((caught: KwqmError) => caught);
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
      expect((error as KwqmError).details).toMatchObject({ option });
    }
    expect(existsSync(join(dir, 'started'))).toBe(false);
  });

  it('connectOrStart gives up as soon as the daemon it started exits with an error, naming its exit code', async () => {
    // A daemon entry that fails at start, as a bundled daemon without its worker entry does.
    const entry = join(dir, 'failing-daemon.mjs');
    writeFileSync(entry, 'process.exit(1);\n');
    const error = await connectOrStart({
      socketPath: join(dir, 'none.sock'),
      daemonEntry: entry,
      startTimeoutMs: 60_000,
      env: { KWQM_STATE_DIR: join(dir, 'state') },
    }).catch((caught: KwqmError) => caught);
    expect(error).toMatchObject({
      code: 'DAEMON_UNAVAILABLE',
      details: { exitCode: 1, logPath: join(dir, 'state', 'daemon.log') },
    });
  }, 30_000);

  it('keeps reading when a listener throws: later frames of the same read still settle the job', async () => {
    const socketPath = await serve((socket, request) => {
      if (request.type !== 'submit') {
        socket.write(`${JSON.stringify({ id: request.id, ok: true, result: {} })}\n`);
        return;
      }
      const frames = [
        { id: request.id, ok: true, result: { job: snapshot('queued') } },
        { event: { type: 'started', job: snapshot('running') } },
        { event: { type: 'progress', jobId: 'j1', progress: { done: 1, total: 2 } } },
        { event: { type: 'succeeded', job: snapshot('succeeded', { result: 42 }) } },
      ];
      socket.write(frames.map((frame) => `${JSON.stringify(frame)}\n`).join(''));
    });
    const reported: unknown[] = [];
    const onUnhandled = (reason: unknown) => reported.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const client = await DaemonClient.connect({ socketPath, reconnectTimeoutMs: 0 });
      const events: string[] = [];
      client.subscribe(() => {
        throw new Error('subscriber bug');
      });
      client.subscribe((event) => events.push(event.type));
      const handle = await client.submit({ operation: 'noop', params: {} });
      const progress: unknown[] = [];
      handle.onProgress(() => {
        throw new Error('progress listener bug');
      });
      handle.onProgress((update) => progress.push(update));
      expect(await handle.result).toBe(42);
      expect(progress).toEqual([{ done: 1, total: 2 }]);
      expect(events).toEqual(['started', 'progress', 'succeeded']);
      await new Promise((resolve) => setImmediate(resolve));
      expect(reported).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ message: 'progress listener bug' }),
          expect.objectContaining({ message: 'subscriber bug' }),
        ]),
      );
      client.close();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
