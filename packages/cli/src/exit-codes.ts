import type { KwqmErrorCode } from '@kwqm/core';

/**
 * The documented exit statuses of `kwqm` (docs/reference/cli.md). Scripts branch on them, so
 * they never change meaning.
 */
export const EXIT_CODES = {
  /** Every job succeeded, or the command did what it was asked. */
  ok: 0,
  /** At least one job failed or was canceled, or a management call found no such job. */
  jobFailed: 1,
  /** The command line is wrong: unknown flag, bad value, missing passphrase source, unreadable key file. */
  usage: 2,
  /** The queue refused the job because it is full (`QUEUE_FULL`, errno ENOSPC in the original). */
  queueFull: 3,
  /** `--daemon` or a management command needed the daemon and none answers. */
  daemonUnavailable: 4,
  /** Interrupted by Ctrl-C (128 + SIGINT): the jobs this command submitted were canceled. */
  interrupted: 130,
  /** Stopped by SIGHUP (128 + 1), its terminal closed: handled as Ctrl-C is. */
  hangUp: 129,
  /** Stopped by SIGTERM (128 + 15), a `kill` or a service manager: handled as Ctrl-C is. */
  terminated: 143,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

const USAGE_CODES: ReadonlySet<KwqmErrorCode> = new Set<KwqmErrorCode>([
  'INVALID_OPTION',
  'PASSPHRASE_REQUIRED',
  'INVALID_KEY',
]);

/** The exit status for an error that ended the whole command (not one job among several). */
export function exitCodeForError(code: KwqmErrorCode): ExitCode {
  if (USAGE_CODES.has(code)) return EXIT_CODES.usage;
  if (code === 'QUEUE_FULL') return EXIT_CODES.queueFull;
  if (code === 'DAEMON_UNAVAILABLE') return EXIT_CODES.daemonUnavailable;
  if (code === 'ABORTED') return EXIT_CODES.interrupted;
  return EXIT_CODES.jobFailed;
}
