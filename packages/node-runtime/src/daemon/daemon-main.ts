import { KwqmError } from '@kwqm/core';
import { daemonOptionsFromEnv } from './daemon-options-from-env.js';
import { KwqmDaemon } from './kwqm-daemon.js';

/** Exit code when another daemon already serves the socket: not an error for `connectOrStart`. */
export const EXIT_ALREADY_RUNNING = 3;

// The detached daemon process (built as dist/daemon.js). Its options come from the environment
// so `connectOrStart()` can pass them through `spawn`; it writes only to its log file.
// SIGTERM / SIGINT stop it cleanly (running jobs finish); a second signal cancels them.
async function main(): Promise<void> {
  // Like any daemon, do not pin the folder it happened to be started from (an unmount, a
  // deleted project folder). Clients send absolute paths; a relative one now fails visibly
  // instead of resolving against whichever process started the daemon.
  process.chdir('/');
  let daemon: KwqmDaemon;
  try {
    daemon = await KwqmDaemon.start(daemonOptionsFromEnv());
  } catch (error) {
    const kwqmError = KwqmError.from(error);
    process.stderr.write(`kwqm daemon: ${kwqmError.code}: ${kwqmError.message}\n`);
    process.exit(kwqmError.code === 'DAEMON_ALREADY_RUNNING' ? EXIT_ALREADY_RUNNING : 1);
  }
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    daemon.logger.info('Signal received', { signal });
    void daemon.stop({ cancelRunning: signals > 1 });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', (error) => {
    daemon.logger.error('Uncaught exception', { message: error.message });
    void daemon.stop({ cancelRunning: true }).finally(() => process.exit(1));
  });
  await daemon.stopped;
  process.exit(0);
}

void main();
