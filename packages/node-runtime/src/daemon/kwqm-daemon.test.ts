import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
