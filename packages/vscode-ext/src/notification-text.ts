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
  | 'Show Queue'
  | 'Show Log';

/** What to show when a job this window submitted ends. */
export interface FinishNotification {
  readonly severity: 'information' | 'error';
  readonly message: string;
  readonly actions: readonly NotificationAction[];
}

/** Reasons people can act on, for the codes a file job most often ends with. */
const REASONS: Partial<Record<KwqmErrorCode, string>> = {
  AGE_WRONG_PASSPHRASE: 'wrong passphrase',
  AGE_NO_MATCHING_IDENTITY: 'none of the stored identities can open it',
  AGE_HEADER_MAC_MISMATCH: 'wrong key or tampered header',
  AGE_PAYLOAD_AUTH_FAILED: 'the file is damaged or was tampered with',
  AGE_TRUNCATED: 'the file is truncated',
  AGE_BAD_HEADER: 'not an age file',
  AGE_BAD_ARMOR: 'damaged ASCII armor',
  // The engine's message repeats the full path, which the notification already names.
  CORRUPT_INPUT: 'not a valid compressed file, or damaged',
  AGE_WORK_FACTOR_TOO_HIGH: 'its passphrase work factor is too high to try',
  PASSPHRASE_REQUIRED: 'a passphrase is required',
  EEXIST: 'the output already exists',
  ENOENT: 'the file no longer exists',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder',
  ENOSPC: 'no space left on the disk',
  SAME_FILE: 'the output would replace the input',
  WORKER_CRASHED: 'the worker thread crashed',
  QUEUE_FULL: 'the queue is full',
};

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
  return `${REASONS[error.code] ?? error.message} (${error.code})`;
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
        // No stored identity opens the file: importing the right one (then a retry) is the way out.
        actions:
          job.error?.code === 'AGE_NO_MATCHING_IDENTITY'
            ? ['Import Identity File…', 'Show Log']
            : ['Show Log'],
      };
    }
    default:
      return undefined;
  }
}
