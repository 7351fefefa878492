/**
 * Where a command's jobs run.
 * - `auto`: on the daemon when one answers at once, else in this process (the default);
 * - `embedded`: in this process on worker threads, even when a daemon runs;
 * - `daemon`: on the daemon, failing with `DAEMON_UNAVAILABLE` when none answers;
 * - `detach`: on the daemon, started if needed; the command prints the ids and exits.
 */
export type QueueMode = 'auto' | 'embedded' | 'daemon' | 'detach';
