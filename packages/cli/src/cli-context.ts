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

/** The context of the running process. */
export function processContext(): CliContext {
  const { stdout, stderr, stdin, env } = process;
  return {
    stdout,
    stderr,
    stdin,
    env,
    cwd: process.cwd(),
    out: createColors(supportsColor({ isTTY: stdout.isTTY, env })),
    err: createColors(supportsColor({ isTTY: stderr.isTTY, env })),
    now: () => Date.now(),
  };
}
