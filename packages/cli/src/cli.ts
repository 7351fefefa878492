import { processContext } from './cli-context.js';
import { runCli } from './run-cli.js';

// The `kwqm` entry point (bin/kwqm.js imports the built copy). Sets the exit status rather than
// calling process.exit so buffered output to pipes is flushed first; commands that keep handles
// open (a daemon connection, worker threads) close them before they return.
// A reader that goes away (`kwqm watch --json | head -1`, `kwqm decrypt x.age -o - | head -c 10`)
// is a normal end for a Unix tool, not a crash: exit quietly with the status so far (0). Any other
// write error (EIO, ENOSPC on a redirected file) is one error line and status 1, never a stack.
// When standard output fails no `-o` file is being written, so there is nothing to clean up.
for (const [name, stream] of [
  ['standard output', process.stdout],
  ['standard error', process.stderr],
] as const) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) {
      process.stderr.write(`kwqm: ${name}: ${error.message} (IO_ERROR)\n`);
    }
    process.exit(1);
  });
}

process.exitCode = await runCli(process.argv, processContext());
