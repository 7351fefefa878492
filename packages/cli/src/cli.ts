import { processContext } from './cli-context.js';
import { runCli } from './run-cli.js';

// The `kwqm` entry point (bin/kwqm.js imports the built copy). Sets the exit status rather than
// calling process.exit so buffered output to pipes is flushed first; commands that keep handles
// open (a daemon connection, worker threads) close them before they return.
process.exitCode = await runCli(process.argv, processContext());
