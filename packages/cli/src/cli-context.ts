import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { type Colors, createColors, supportsColor } from './output/colors.js';

/**
 * Everything a command touches of the outside world, gathered once so commands never reach for
 * `process` directly and their formatting follows one decision about terminals and colour.
 */
export interface CliContext {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Colours for text written to standard output. */
  readonly out: Colors;
  /** Colours for text written to standard error (errors, progress). */
  readonly err: Colors;
  /** Wall-clock milliseconds, for job ages. */
  now(): number;
}

/**
 * The working folder. When it was deleted under the shell, the shell's `PWD` if that path is gone
 * too (it names the deleted folder, so absolute paths work and relative ones fail as missing
 * under it), and the process moves to `/` (worker threads cannot start in a deleted folder);
 * otherwise an ENOENT error shaped as a KwqmError (rebuilt by `KwqmError.from`) for the first
 * command that needs the folder — never a guess that could resolve a name in some other folder.
 */
function workingFolder(env: NodeJS.ProcessEnv): string | Error {
  try {
    return process.cwd();
  } catch (error) {
    const shellFolder = env.PWD;
    if (shellFolder !== undefined && isAbsolute(shellFolder) && !existsSync(shellFolder)) {
      process.chdir('/');
      return shellFolder;
    }
    // A plain object the CLI's error line takes for a KwqmError, so @kwqm/core is not loaded here.
    return Object.assign(
      new Error('The working folder no longer exists (deleted under this shell?): cd to a folder that does'),
      { name: 'KwqmError', code: 'ENOENT', errno: 'ENOENT', cause: error },
    );
  }
}

/** The context of the running process. */
export function processContext(): CliContext {
  const { stdout, stderr, stdin, env } = process;
  const folder = workingFolder(env);
  return {
    stdout,
    stderr,
    stdin,
    env,
    // Thrown only when a command needs it, so `kwqm --version` still answers in a folder deleted
    // under the shell; a command that needs it fails with one ENOENT line instead of Node's stack.
    get cwd(): string {
      if (folder instanceof Error) throw folder;
      return folder;
    },
    out: createColors(supportsColor({ isTTY: stdout.isTTY, env })),
    err: createColors(supportsColor({ isTTY: stderr.isTTY, env })),
    now: () => Date.now(),
  };
}
