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
 * Defines `kwqm` in a POSIX shell script as a function that runs the built launcher. Its body is
 * a subshell, not a `{ …; }` group: the pty runner hands the script to expect inside Tcl braces,
 * where escaped braces keep their backslashes.
 */
export const KWQM_SHELL_FUNCTION = `kwqm() ( '${process.execPath}' '${KWQM_BIN}' "$@" )`;

/** The argv of `/bin/sh` running `script` with `kwqm` defined (for a pty, where the prompts appear). */
export function shellCommand(script: string): string[] {
  return ['/bin/sh', '-c', `${KWQM_SHELL_FUNCTION}; ${script}`];
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
  const prelude = `set -o pipefail\n${KWQM_SHELL_FUNCTION}\n`;
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
