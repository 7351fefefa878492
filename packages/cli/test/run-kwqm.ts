import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built launcher, exactly what `npx kwqm` runs. */
export const KWQM_BIN = fileURLToPath(new URL('../bin/kwqm.js', import.meta.url));

/** What a finished `kwqm` process left behind. */
export interface KwqmRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runKwqm}. */
export interface RunKwqmOptions {
  readonly cwd: string;
  /** Added to a clean environment (no NO_COLOR/FORCE_COLOR/KWQM_PASSPHRASE from the caller). */
  readonly env?: Record<string, string>;
  /** Written to standard input, which is then closed (never a terminal here). */
  readonly input?: string;
}

/** A sandbox for one test file: a working folder plus private runtime/state folders for daemons. */
export interface Sandbox {
  readonly dir: string;
  readonly env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** Creates a temp folder with `work/`, `run/` (XDG_RUNTIME_DIR) and `state/` (XDG_STATE_HOME). */
export async function createSandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'kwqm-cli-test-'));
  const env = { XDG_RUNTIME_DIR: join(dir, 'run'), XDG_STATE_HOME: join(dir, 'state') };
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dir, 'work'));
  await mkdir(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  await mkdir(env.XDG_STATE_HOME, { mode: 0o700 });
  return { dir, env, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function cleanEnvironment(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NO_COLOR' || key === 'FORCE_COLOR' || key.startsWith('KWQM_') || key.startsWith('XDG_'))
      continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs `node bin/kwqm.js ...args` to completion. */
export function runKwqm(args: readonly string[], options: RunKwqmOptions): Promise<KwqmRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KWQM_BIN, ...args], {
      cwd: options.cwd,
      env: cleanEnvironment(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      // A session of its own, with no controlling terminal: a passphrase prompt falls back to
      // /dev/tty, which must fail here as in CI even when the tests run from a terminal.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** The environment {@link runKwqm} gives the child, for tests that spawn it themselves. */
export function kwqmEnvironment(extra?: Record<string, string>): NodeJS.ProcessEnv {
  return cleanEnvironment(extra);
}
