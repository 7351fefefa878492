import type { JobSnapshot, KwqmErrorCode } from '@kwqm/core';
import { isFileOperation, OPERATION_WORDING } from './file-operation.js';
import { baseName, folderOf, jobInput, jobLabel, jobOutput } from './job-presentation.js';

/** The buttons a finish notification can carry; the glue maps each to an action. */
export type NotificationAction =
  | 'Reveal in Explorer'
  | 'Open'
  | 'Copy Hash'
  | 'Copy Hashes'
  | 'Import Identity File…'
  | 'Try Again'
  | 'Show Queue'
  | 'Show Log';

/** What to show when a job this window submitted ends. */
export interface FinishNotification {
  readonly severity: 'information' | 'error';
  readonly message: string;
  readonly actions: readonly NotificationAction[];
}

/**
 * Reasons people can act on, for the codes a file job most often ends with. Each reads right
 * after one file (`Could not decrypt a.age: wrong passphrase (…)`) and before several
 * (`2 failed: wrong passphrase (…): a.age, b.age`): no pronoun, article or verb that takes a
 * number (`it`, `an`, `is`, `exists`).
 */
export const FAILURE_REASONS: Partial<Record<KwqmErrorCode, string>> = {
  AGE_WRONG_PASSPHRASE: 'wrong passphrase',
  AGE_NO_MATCHING_IDENTITY: 'no matching identity stored',
  AGE_HEADER_MAC_MISMATCH: 'wrong key or tampered header',
  AGE_PAYLOAD_AUTH_FAILED: 'damaged or tampered with',
  AGE_TRUNCATED: 'truncated',
  AGE_BAD_HEADER: 'not in the age format',
  AGE_BAD_ARMOR: 'damaged ASCII armor',
  // The engine's message repeats the full path, which the notification already names.
  CORRUPT_INPUT: 'invalid or damaged compressed data',
  AGE_WORK_FACTOR_TOO_HIGH: 'passphrase work factor too high to try',
  PASSPHRASE_REQUIRED: 'passphrase required',
  EEXIST: 'existing output not replaced',
  ENOENT: 'no longer on disk',
  EACCES: 'permission denied',
  EISDIR: 'folder, not file',
  ENOSPC: 'no space left on the disk',
  SAME_FILE: 'output would replace input',
  WORKER_CRASHED: 'worker thread crashed',
  QUEUE_FULL: 'queue full',
};

/**
 * The buttons that can still get a failed decrypt done, by its error code: Try Again after a
 * wrong passphrase (asks for it again), Import Identity File… when no stored identity opens the
 * file (imports one, then runs the decrypt again). Shared by the finish notification, the batch
 * summary and Show Error on a queue row.
 */
export function retryActions(operation: string, code: string | undefined): NotificationAction[] {
  if (operation !== 'decrypt') return [];
  if (code === 'AGE_WRONG_PASSPHRASE') return ['Try Again'];
  if (code === 'AGE_NO_MATCHING_IDENTITY') return ['Import Identity File…'];
  return [];
}

/**
 * Whether a job's output is worth opening in an editor: the plaintext back from Decrypt or
 * Decompress, or an ASCII-armored age file. An encrypted or compressed file is binary, where
 * VS Code only shows its "binary file" page, so those get Reveal in Explorer alone.
 */
function opensAsText(job: Pick<JobSnapshot, 'operation' | 'params'>): boolean {
  if (job.operation === 'decrypt' || job.operation === 'decompress') return true;
  return job.operation === 'encrypt' && (job.params as { armor?: unknown } | undefined)?.armor === true;
}

/** A short reason for a failed job: a plain phrase for known codes, else the error's own message. */
export function failureReason(job: Pick<JobSnapshot, 'error'>): string {
  const error = job.error;
  if (error === undefined) return 'unknown error';
  return `${FAILURE_REASONS[error.code] ?? error.message} (${error.code})`;
}

/** What {@link finishNotification} needs to know beyond the job. */
export interface FinishNotificationOptions {
  /**
   * Whether the output lies in one of the window's workspace folders. The Explorer shows only
   * those, so for an output elsewhere (a file opened by path) Reveal in Explorer would do
   * nothing: it is not offered, and the message says which folder the output is in.
   * @default true
   */
  readonly outputInWorkspace?: boolean;
}

/**
 * The notification for a finished job, or `undefined` when none is due: a job the user removed
 * or canceled ended as asked, so it is only logged.
 */
export function finishNotification(
  job: JobSnapshot,
  options: FinishNotificationOptions = {},
): FinishNotification | undefined {
  const wording = isFileOperation(job.operation) ? OPERATION_WORDING[job.operation] : undefined;
  const name = jobLabel(job);
  switch (job.state) {
    case 'succeeded': {
      if (job.operation === 'hash') {
        const result = job.result as { algorithm?: string; digest?: string } | undefined;
        return {
          severity: 'information',
          message: `${(result?.algorithm ?? 'hash').toUpperCase()} of ${name}: ${result?.digest ?? '?'}`,
          actions: ['Copy Hash'],
        };
      }
      const output = jobOutput(job);
      if (output === undefined)
        return { severity: 'information', message: `${wording?.done ?? job.operation} ${name}`, actions: [] };
      const inWorkspace = options.outputInWorkspace ?? true;
      const actions: NotificationAction[] = inWorkspace ? ['Reveal in Explorer'] : [];
      if (opensAsText(job)) actions.push('Open');
      return {
        severity: 'information',
        message: `${wording?.done ?? job.operation} ${name} → ${baseName(output)}${inWorkspace ? '' : ` (in ${folderOf(output)})`}`,
        actions,
      };
    }
    case 'failed': {
      const input = jobInput(job);
      return {
        severity: 'error',
        message: `Could not ${wording?.verb.toLowerCase() ?? job.operation} ${input === undefined ? name : baseName(input)}: ${failureReason(job)}`,
        actions: [...retryActions(job.operation, job.error?.code), 'Show Log'],
      };
    }
    default:
      return undefined;
  }
}

/** What Show Error on a failed queue row shows: the reason, the engine's message, and its buttons. */
export interface ErrorDetails {
  readonly message: string;
  readonly detail: string;
  readonly actions: readonly NotificationAction[];
}

/**
 * Show Error on a failed queue row: the same reason and retry buttons as the job's finish
 * notification (see {@link retryActions}), so a row found later in the queue view still offers
 * the way out. A row without its input (not a file job) offers only Show Log.
 */
export function errorDetails(job: JobSnapshot): ErrorDetails | undefined {
  if (job.error === undefined) return undefined;
  const actions = jobInput(job) === undefined ? [] : retryActions(job.operation, job.error.code);
  return {
    message: `${jobLabel(job)}: ${failureReason(job)}`,
    detail: job.error.message,
    actions: [...actions, 'Show Log'],
  };
}
