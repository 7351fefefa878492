import { CommanderError } from 'commander';
import type { CliContext } from './cli-context.js';
import { EXIT_CODES, type ExitCode, exitCodeForError } from './exit-codes.js';
import { formatErrorLine } from './output/error-line.js';
import { createProgram } from './program.js';

/**
 * Runs one command line and answers its exit status. Never throws and never exits the process:
 * every failure becomes one error line on standard error and a documented status.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<ExitCode> {
  let status: ExitCode = EXIT_CODES.ok;
  const program = createProgram(context, (code) => {
    status = code;
  });
  try {
    await program.parseAsync(argv as string[]);
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" only to commander's exitOverride.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    // Loaded only on failure: the success path of `kwqm --version` never reads @kwqm/core.
    const { KwqmError } = await import('@kwqm/core');
    const kwqmError = KwqmError.from(error, 'INTERNAL');
    const debug = argv.includes('--debug');
    context.stderr.write(`${formatErrorLine(kwqmError, { colors: context.err, debug })}\n`);
    return exitCodeForError(kwqmError.code);
  }
}
