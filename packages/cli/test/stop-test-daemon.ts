import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../src/commands/is-process-alive.js';
import { runKwqm, type Sandbox } from './run-kwqm.js';

/**
 * Leaves no daemon behind, whatever state a test left it in: asks it to stop (canceling its
 * jobs), then kills the pid it recorded in its lock file (`kwqm.sock.lock`) if it is still
 * alive — this also covers a test that timed out before it learned the pid.
 */
export async function stopTestDaemon(
  sandbox: Sandbox,
  env: Record<string, string>,
  cwd: string,
): Promise<void> {
  const lockPath = join(sandbox.env.XDG_RUNTIME_DIR as string, 'kwqm', 'kwqm.sock.lock');
  const lockedPid = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
  await runKwqm(['daemon', 'stop', '--cancel-running'], { cwd, env });
  if (Number.isInteger(lockedPid) && lockedPid > 0 && isProcessAlive(lockedPid))
    process.kill(lockedPid, 'SIGKILL');
}
