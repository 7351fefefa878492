import type { FileOperation } from './file-operation.js';
import type { BatchEntry } from './job-batch.js';

/**
 * The log line a batch ends with: its counts, then every file that failed with its job id (or
 * `not queued`) and error code, so a summary that names only a few can be followed up in full.
 * `encrypt batch of 35 files ended: 33 succeeded, 2 failed, 0 canceled, 0 removed; failed: "/w/a" k3-4 EEXIST, …`
 */
export function batchLogLine(operation: FileOperation, entries: readonly BatchEntry[]): string {
  const counts = { succeeded: 0, failed: 0, canceled: 0, removed: 0 };
  const failures: string[] = [];
  for (const entry of entries) {
    if (entry.kind === 'not-queued') {
      counts.failed += 1;
      failures.push(`${JSON.stringify(entry.input)} not queued ${entry.error.code}`);
    } else if (entry.job.state === 'failed') {
      counts.failed += 1;
      failures.push(`${JSON.stringify(entry.input)} ${entry.job.id} ${entry.job.error?.code ?? 'INTERNAL'}`);
    } else if (
      entry.job.state === 'succeeded' ||
      entry.job.state === 'canceled' ||
      entry.job.state === 'removed'
    ) {
      counts[entry.job.state] += 1;
    }
  }
  const summary = `${operation} batch of ${entries.length} files ended: ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.canceled} canceled, ${counts.removed} removed`;
  return failures.length === 0 ? summary : `${summary}; failed: ${failures.join(', ')}`;
}
