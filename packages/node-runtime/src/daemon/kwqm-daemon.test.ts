import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonClient } from './daemon-client.js';
import { resolveDaemonPaths } from './daemon-paths.js';
import { KwqmDaemon, type KwqmDaemonOptions } from './kwqm-daemon.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kwqm-daemon-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function paths() {
  return resolveDaemonPaths({
    env: { KWQM_SOCKET: join(root, 'run', 'k.sock'), KWQM_STATE_DIR: join(root, 'state') },
  });
}

describe('KwqmDaemon', () => {
  it.each<KwqmDaemonOptions>([
    { concurrency: 0 },
    { concurrency: 1.5 },
    { compactAfter: 0 },
    { logLevel: 'loud' as never },
    { colour: 'blue' } as never,
    { capacity: 0 },
    { maxWaitingProducers: -1 },
    { helloTimeoutMs: 0 },
    { helloTimeoutMs: 2 ** 31 },
  ])('rejects %j with INVALID_OPTION and leaves nothing running', async (options) => {
    const daemonPaths = paths();
    await expect(KwqmDaemon.start({ paths: daemonPaths, ...options })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    expect(existsSync(daemonPaths.socketPath)).toBe(false);
    expect(existsSync(daemonPaths.lockPath)).toBe(false);
  });

  it('refuses a socket path longer than a Unix socket address holds (INVALID_OPTION), making no folder', async () => {
    const long = join(root, 'x'.repeat(100), 'k.sock');
    const daemonPaths = resolveDaemonPaths({
      env: { KWQM_SOCKET: long, KWQM_STATE_DIR: join(root, 'state') },
    });
    await expect(KwqmDaemon.start({ paths: daemonPaths })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      details: { option: 'socketPath' },
    });
    await expect(DaemonClient.connect({ socketPath: long })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      details: { option: 'socketPath' },
    });
    expect(existsSync(join(root, 'x'.repeat(100)))).toBe(false);
    expect(existsSync(join(root, 'state'))).toBe(false);
  });

  it('refuses to start on a socket path that holds a regular file (EEXIST), keeping the file and no lock', async () => {
    const daemonPaths = paths();
    mkdirSync(join(root, 'run'), { mode: 0o700 });
    writeFileSync(daemonPaths.socketPath, 'not a socket\n');
    await expect(KwqmDaemon.start({ paths: daemonPaths })).rejects.toMatchObject({
      code: 'EEXIST',
      details: { path: daemonPaths.socketPath },
    });
    expect(readFileSync(daemonPaths.socketPath, 'utf8')).toBe('not a socket\n');
    expect(existsSync(daemonPaths.lockPath)).toBe(false);
    // connectOrStart points the user at the log for why the daemon exited.
    expect(readFileSync(daemonPaths.logPath, 'utf8')).toContain('"code":"EEXIST"');
  });

  it.runIf(existsSync('/proc/self'))(
    'fails with ENOENT, not a loop, when its state folder cannot be made (under /proc)',
    async () => {
      const daemonPaths = resolveDaemonPaths({
        env: { KWQM_SOCKET: join(root, 'run', 'k.sock'), KWQM_STATE_DIR: '/proc/kwqm-no-such-folder/state' },
      });
      // Node's recursive mkdir spins forever here, blocking this thread: a hang fails the test by timeout.
      await expect(KwqmDaemon.start({ paths: daemonPaths })).rejects.toMatchObject({ code: 'ENOENT' });
    },
  );

  it('runs a built-in operation for a client in this process, and stops cleanly', async () => {
    const daemonPaths = paths();
    const daemon = await KwqmDaemon.start({ paths: daemonPaths, concurrency: 1 });
    const input = join(root, 'data.bin');
    writeFileSync(input, 'hash me\n'.repeat(10_000));
    const client = await DaemonClient.connect({ socketPath: daemonPaths.socketPath });
    expect(client.serverPid).toBe(process.pid);
    const job = await client.submit({ operation: 'hash', params: { input } });
    expect(await job.result).toMatchObject({
      algorithm: 'sha256',
      digest: createHash('sha256').update('hash me\n'.repeat(10_000)).digest('hex'),
    });
    client.close();
    await daemon.stop();
    await daemon.stopped;
    expect(existsSync(daemonPaths.socketPath)).toBe(false);
    expect(existsSync(daemonPaths.lockPath)).toBe(false);
  });
});
