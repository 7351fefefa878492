import type { FileOperation } from './file-operation.js';
import { OPERATION_WORDING } from './file-operation.js';
import type { BatchEntry } from './job-batch.js';
import { baseName } from './job-presentation.js';
import { type FinishNotification, failureReason, type NotificationAction } from './notification-text.js';

/** Files named per failure reason before the rest are counted. */
const NAMED_PER_REASON = 3;
/** Failure reasons spelled out before the rest are counted. */
const NAMED_REASONS = 3;

/**
 * The one notification a batch (two or more files from one command) ends with, or `undefined`
 * when every job was removed or canceled (the user did that, as for a single job). Success:
 * `Encrypted 35 files`. Failures are grouped by reason and name their files:
 * `Decrypted 33 of 35 files; 2 failed: wrong passphrase (AGE_WRONG_PASSPHRASE): a.age, b.age`;
 * none succeeded: `Could not decrypt 3 files: …`. The queue view keeps each file's row, with
 * Reveal Output and Show Error, so the summary offers Show Queue and Show Log; a decrypt that met
 * `AGE_WRONG_PASSPHRASE` also offers Try Again (asks the passphrase again and reruns those files),
 * one that met `AGE_NO_MATCHING_IDENTITY` Import Identity File… (which retries those files), and a
 * hash batch Copy Hashes.
 */
export function batchNotification(
  operation: FileOperation,
  entries: readonly BatchEntry[],
): FinishNotification | undefined {
  const wording = OPERATION_WORDING[operation];
  let succeeded = 0;
  let canceled = 0;
  let removed = 0;
  const failures = new Map<string, string[]>();
  for (const entry of entries) {
    if (entry.kind === 'job' && entry.job.state === 'succeeded') succeeded += 1;
    else if (entry.kind === 'job' && entry.job.state === 'canceled') canceled += 1;
    else if (entry.kind === 'job' && entry.job.state === 'removed') removed += 1;
    else {
      const reason = failureReason(entry.kind === 'job' ? entry.job : { error: entry.error });
      const names = failures.get(reason) ?? [];
      names.push(baseName(entry.input));
      failures.set(reason, names);
    }
  }
  const failed = [...failures.values()].reduce((sum, names) => sum + names.length, 0);
  if (succeeded + failed === 0) return undefined;
  const total = entries.length;
  const stopped = [
    canceled > 0 ? `${canceled} canceled` : '',
    removed > 0 ? `${removed} removed` : '',
  ].filter((part) => part !== '');
  if (failed === 0) {
    const head =
      succeeded === total
        ? `${wording.done} ${total} files`
        : `${wording.done} ${succeeded} of ${total} files`;
    return {
      severity: 'information',
      message: [head, ...stopped].join('; '),
      actions: operation === 'hash' ? ['Copy Hashes', 'Show Log'] : ['Show Log'],
    };
  }
  const reasons = [...failures.entries()];
  const spelled = reasons
    .slice(0, NAMED_REASONS)
    .map(([reason, names]) => `${reason}: ${namesOf(names)}`)
    .join('; ');
  const unspelled = reasons.slice(NAMED_REASONS).reduce((sum, [, names]) => sum + names.length, 0);
  const why = unspelled > 0 ? `${spelled}; ${unspelled} more for other reasons` : spelled;
  const head =
    succeeded === 0
      ? `Could not ${wording.verb.toLowerCase()} ${failed === total ? total : `${failed} of ${total}`} files: ${why}`
      : `${wording.done} ${succeeded} of ${total} files; ${failed} failed: ${why}`;
  const actions: NotificationAction[] = [];
  if (operation === 'decrypt' && passphraseFailures(entries).length > 0) actions.push('Try Again');
  if (operation === 'decrypt' && identityFailures(entries).length > 0) actions.push('Import Identity File…');
  if (operation === 'hash' && succeeded > 0) actions.push('Copy Hashes');
  actions.push('Show Queue', 'Show Log');
  return { severity: 'error', message: [head, ...stopped].join('; '), actions };
}

/** The inputs of the jobs that failed because no stored identity opens them: the ones an import can help. */
export function identityFailures(entries: readonly BatchEntry[]): string[] {
  return failuresWith(entries, 'AGE_NO_MATCHING_IDENTITY');
}

/** The inputs of the jobs that failed with a wrong passphrase: the ones Try Again runs again. */
export function passphraseFailures(entries: readonly BatchEntry[]): string[] {
  return failuresWith(entries, 'AGE_WRONG_PASSPHRASE');
}

function failuresWith(entries: readonly BatchEntry[], code: string): string[] {
  return entries
    .filter((entry) => entry.kind === 'job' && entry.job.error?.code === code)
    .map((entry) => entry.input);
}

/**
 * What Copy Hashes puts on the clipboard: one `DIGEST  PATH` line per hashed file, in selection
 * order, as `sha256sum` prints them (so `sha256sum -c` checks them from the workspace folder when
 * `displayPath` gives workspace-relative paths).
 */
export function hashListText(entries: readonly BatchEntry[], displayPath: (path: string) => string): string {
  const lines: string[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'job' || entry.job.state !== 'succeeded') continue;
    const digest = (entry.job.result as { digest?: unknown } | undefined)?.digest;
    if (typeof digest === 'string') lines.push(`${digest}  ${displayPath(entry.input)}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function namesOf(names: readonly string[]): string {
  const shown = names.slice(0, NAMED_PER_REASON).join(', ');
  const rest = names.length - NAMED_PER_REASON;
  return rest > 0 ? `${shown} and ${rest} more` : shown;
}
