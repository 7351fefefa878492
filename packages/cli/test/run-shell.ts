import { spawn } from 'node:child_process';
import { KWQM_BIN, kwqmEnvironment } from './run-kwqm.js';

/** What a finished shell pipeline left behind. */
export interface ShellRun {
  /** The pipeline's status (`set -o pipefail`: the last command that failed). */
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * Runs a bash script with real pipes, `kwqm` defined as a function that runs the built launcher,
 * and `set -o pipefail`. The shell starts a new session (no controlling terminal), so `/dev/tty`
 * cannot be opened: a passphrase prompt is impossible, as in cron or CI.
 */
export function runShell(
  script: string,
  options: { cwd: string; env: Record<string, string> },
): Promise<ShellRun> {
  const prelude = `set -o pipefail\nkwqm() { '${process.execPath}' '${KWQM_BIN}' "$@"; }\n`;
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/bash', ['-c', prelude + script], {
      cwd: options.cwd,
      env: kwqmEnvironment(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr }));
  });
}
