import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, runKwqm, type Sandbox } from './run-kwqm.js';
import { stopTestDaemon } from './stop-test-daemon.js';

// Exit status 3: a daemon with room for one queued job and no waiting producers refuses the
// next submit with QUEUE_FULL (errno ENOSPC, as the original module answered a full queue).

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;
let daemonPid: number | undefined;

beforeAll(async () => {
  sandbox = await createSandbox();
  cwd = join(sandbox.dir, 'work');
  env = { ...sandbox.env, KWQM_CONCURRENCY: '1', KWQM_CAPACITY: '1', KWQM_MAX_WAITING_PRODUCERS: '0' };
  await writeFile(join(cwd, 'big.bin'), '');
  await truncate(join(cwd, 'big.bin'), 16 * 1024 ** 3);
  await writeFile(join(cwd, 'small.txt'), 'small');
});

afterAll(async () => {
  await stopTestDaemon(sandbox, env, cwd);
  if (daemonPid !== undefined) {
    try {
      process.kill(daemonPid, 'SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
  await sandbox.cleanup();
});

describe('a full queue', () => {
  it('exits 3 with QUEUE_FULL for the job that found no room, and reports it in --json', async () => {
    const started = JSON.parse((await runKwqm(['daemon', 'start', '--json'], { cwd, env })).stdout) as {
      pid: number;
    };
    daemonPid = started.pid;
    // One running (the only slot), one queued (the only place): the queue is full.
    const running = JSON.parse(
      (await runKwqm(['hash', '--detach', '--json', 'big.bin'], { cwd, env })).stdout,
    );
    let state = 'queued';
    while (state === 'queued') {
      const status = JSON.parse(
        (await runKwqm(['status', '--json', running.jobs[0].id], { cwd, env })).stdout,
      );
      state = status.jobs[0].state;
      if (state === 'queued') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toBe('running');
    expect((await runKwqm(['hash', '--detach', 'big.bin'], { cwd, env })).code).toBe(0);

    const refused = await runKwqm(['hash', '--detach', 'small.txt'], { cwd, env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^kwqm: small\.txt: .* \(QUEUE_FULL\)\n$/);

    const json = await runKwqm(['hash', '--detach', '--json', 'small.txt'], { cwd, env });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toEqual({
      jobs: [
        {
          file: 'small.txt',
          id: null,
          operation: 'hash',
          state: 'rejected',
          error: expect.objectContaining({ code: 'QUEUE_FULL', errno: 'ENOSPC' }),
        },
      ],
    });
  });
});
