import { processContext } from './cli-context.js';
import { runCli } from './run-cli.js';

// The `kwqm` entry point (bin/kwqm.js imports the built copy). Sets the exit status rather than
// calling process.exit so buffered output to pipes is flushed first; commands that keep handles
// open (a daemon connection, worker threads) close them before they return.
// A reader that goes away (`kwqm watch --json | head -1`) is a normal end for a Unix tool, not a
// crash: results are printed only after the jobs have ended, so nothing is left half done.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await runCli(process.argv, processContext());
