import type { JobSnapshot } from '@kwqm/core';
import type { Colors } from './colors.js';
import { displayPath } from './display-path.js';
import { formatDuration } from './format-duration.js';
import { formatTable } from './format-table.js';
import { printable } from './printable.js';

/**
 * The file a job is about: its label when it has one, else its `input` param; shown relative to
 * `cwd` when given and inside it (jobs carry absolute paths: the daemon has its own cwd), with
 * control characters escaped so a name keeps to its row.
 */
export function jobFile(job: JobSnapshot, cwd?: string): string {
  const params = job.params as { input?: unknown } | undefined;
  const file = job.label ?? (typeof params?.input === 'string' ? params.input : '-');
  return printable(cwd === undefined || !file.startsWith('/') ? file : displayPath(file, cwd));
}

/** `42%` for a running job with a known total, `100%` once succeeded, `-` otherwise. */
export function jobProgress(job: JobSnapshot): string {
  if (job.state === 'succeeded') return '100%';
  const progress = job.progress;
  if (job.state !== 'running' || progress === undefined) return '-';
  if (progress.total === undefined || progress.total === 0) return String(progress.done);
  return `${Math.floor((progress.done / progress.total) * 100)}%`;
}

function stateCell(job: JobSnapshot, colors: Colors): string {
  switch (job.state) {
    case 'succeeded':
      return colors.green(job.state);
    case 'failed':
      return colors.red(job.state);
    case 'running':
      // Asked to stop, still stopping: it ends canceled (or succeeded) when its worker returns.
      return job.cancelRequested === true ? colors.yellow('canceling') : colors.cyan(job.state);
    case 'canceled':
    case 'removed':
      return colors.yellow(job.state);
    default:
      return job.state;
  }
}

/** The `kwqm list` table: id, state, priority, operation, file, progress, age. */
export function formatJobTable(
  jobs: readonly JobSnapshot[],
  now: number,
  colors: Colors,
  cwd?: string,
): string {
  return formatTable(
    ['ID', 'STATE', 'PRIORITY', 'OPERATION', 'PROGRESS', 'AGE', 'FILE'],
    jobs.map((job) => [
      job.id,
      stateCell(job, colors),
      job.priority,
      job.operation,
      jobProgress(job),
      formatDuration(now - job.createdAt),
      jobFile(job, cwd),
    ]),
  );
}

/** `kwqm status`: one block per job, `key: value` lines, the error's code where it failed. */
export function formatJobDetails(job: JobSnapshot, now: number, colors: Colors, cwd?: string): string {
  const lines: [string, string][] = [
    ['id', job.id],
    ['state', stateCell(job, colors)],
    ['priority', job.priority],
    ['operation', job.operation],
    ['file', jobFile(job, cwd)],
    ['progress', jobProgress(job)],
    ['age', formatDuration(now - job.createdAt)],
  ];
  const result = job.result as { output?: unknown; digest?: unknown } | undefined;
  if (typeof result?.output === 'string') lines.push(['output', result.output]);
  if (typeof result?.digest === 'string') lines.push(['digest', result.digest]);
  if (job.error !== undefined) lines.push(['error', `${job.error.message} (${job.error.code})`]);
  return lines.map(([key, value]) => `${`${key}:`.padEnd(11)}${value}`).join('\n');
}
