import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { KwqmError } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';

/** The operand that names standard input (as `FILE`) or standard output (as `-o -`), as in age. */
export const STANDARD_STREAM = '-';

/** Where a stream's bytes go. */
export type StreamOutput =
  | { readonly kind: 'stdout' }
  | { readonly kind: 'file'; readonly path: string }
  /** Nothing but the result line (hash). */
  | { readonly kind: 'none' };

/**
 * A command that reads standard input or writes standard output. It runs in the command's own
 * process, not on the queue: no other process can read this process's pipes.
 */
export interface StreamPlan {
  /** The input as typed: `-` for standard input, else a file name (with `-o -`). */
  readonly file: string;
  /** Absolute path of the input file; `undefined` for standard input. */
  readonly inputPath: string | undefined;
  /**
   * True when `inputPath` is a pipe rather than a file — a process substitution `<(tar cz dir)`
   * (`/dev/fd/63`), a FIFO, `/dev/stdin`: read once, as standard input is, in this process (a
   * daemon cannot open this process's `/dev/fd`), and never given a `FILE.age`-style output name.
   */
  readonly inputIsPipe: boolean;
  readonly output: StreamOutput;
  /** True when `-o -` was given (a deliberate choice of standard output, even on a terminal). */
  readonly explicitStdout: boolean;
}

/** What a command tells {@link readStreamPlan} about itself. */
export interface StreamPlanRules {
  /** Where standard input goes when there is no `-o`: standard output, or nothing (hash prints a line). */
  readonly defaultOutput: 'stdout' | 'none';
  /** True when the bytes written are binary (non-armored encrypt, compress): refused on a terminal unless `-o -`. */
  readonly binary: boolean;
  /** What to suggest when binary output is refused, e.g. `-a/--armor, ` for encrypt. */
  readonly binaryHint?: string;
}

function usage(message: string, option?: string): KwqmError {
  return new KwqmError('INVALID_OPTION', message, option === undefined ? {} : { details: { option } });
}

/**
 * Decides whether a file command streams: `FILE` `-` or no `FILE` reads standard input, a single
 * `FILE` that is a pipe (`<(cmd)`, a FIFO) is read the same way, `-o -` writes standard output.
 * Answers `undefined` when none of these (the files go to the queue as jobs).
 * Usage errors (`INVALID_OPTION`, exit 2): an empty FILE or `-o` name, `-` more than once or
 * beside other files, `-o -` with several files, `--detach`/`--daemon` with a stream, and binary
 * output to a terminal without `-o -`.
 */
export function readStreamPlan(
  context: CliContext,
  options: Record<string, unknown>,
  files: readonly string[],
  rules: StreamPlanRules,
): StreamPlan | undefined {
  // An empty name would resolve to the working folder and fail later as a confusing EISDIR.
  if (files.includes('')) throw usage('FILE cannot be an empty name');
  if (options.output === '') throw usage('-o/--output cannot be an empty name', 'output');
  const dashes = files.filter((file) => file === STANDARD_STREAM).length;
  if (dashes > 1) throw usage('`-` (standard input) can be given only once');
  if (dashes === 1 && files.length > 1) {
    throw usage('`-` (standard input) must be the only FILE: it is read in this process, not queued');
  }
  const output = options.output as string | undefined;
  const explicitStdout = output === STANDARD_STREAM;
  if (explicitStdout && files.length > 1) {
    throw usage(`-o - (standard output) takes a single input, got ${files.length} files`, 'output');
  }
  const fromStdin = files.length === 0 || dashes === 1;
  const pipes = fromStdin ? [] : files.filter((file) => isPipe(resolve(context.cwd, file)));
  if (pipes.length > 0 && files.length > 1) {
    throw usage(`${pipes[0]} is a pipe, read in this process rather than queued: give it as the only FILE`);
  }
  const inputIsPipe = pipes.length === 1;
  if (!fromStdin && !explicitStdout && !inputIsPipe) return undefined;

  if (options.detach === true || options.daemon === true) {
    throw usage(
      `--${options.detach === true ? 'detach' : 'daemon'} cannot be used with standard input or output: ` +
        'the daemon is another process and cannot read or write this command’s pipes',
      options.detach === true ? 'detach' : 'daemon',
    );
  }
  let streamOutput: StreamOutput;
  if (explicitStdout) streamOutput = { kind: 'stdout' };
  else if (output !== undefined) streamOutput = { kind: 'file', path: resolve(context.cwd, output) };
  else streamOutput = { kind: rules.defaultOutput };

  if (streamOutput.kind === 'stdout' && !explicitStdout && rules.binary && context.stdout.isTTY === true) {
    throw usage(
      `refusing to write binary output to a terminal: use ${rules.binaryHint ?? ''}-o FILE, or -o - to force it`,
      'output',
    );
  }
  const file = fromStdin ? STANDARD_STREAM : (files[0] as string);
  return {
    file,
    inputPath: fromStdin ? undefined : resolve(context.cwd, file),
    inputIsPipe,
    output: streamOutput,
    explicitStdout,
  };
}

// A FIFO, a character device (`/dev/stdin` on a terminal) or a socket: bytes to read once, with
// no size and no name to derive an output from. A path that cannot be looked at (missing, a
// symbolic link loop, no permission) is not one: its job reports why, naming the file.
function isPipe(path: string): boolean {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    return false;
  }
  return stats.isFIFO() || stats.isCharacterDevice() || stats.isSocket();
}

/**
 * Key files named `-` (`-R -`, `-i -`) read standard input, as in age: allowed once, and only
 * when standard input does not carry the data. Answers the paths to read, `-` mapped to
 * `/dev/stdin`.
 */
export function keyFilePaths(
  context: CliContext,
  paths: readonly string[],
  flag: string,
  stdinIsData: boolean,
): string[] {
  const dashes = paths.filter((path) => path === STANDARD_STREAM).length;
  if (dashes > 0 && stdinIsData) {
    throw usage(`${flag} - cannot read standard input: it carries the data`, flag);
  }
  if (dashes > 1) throw usage(`${flag} - (standard input) can be given only once`, flag);
  return paths.map((path) => (path === STANDARD_STREAM ? '/dev/stdin' : resolve(context.cwd, path)));
}
