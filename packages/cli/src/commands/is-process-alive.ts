/**
 * Whether process `pid` still exists (signal 0 probes without signalling). `EPERM` counts as gone:
 * the pid then belongs to another user's process, so the one we knew has exited.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
