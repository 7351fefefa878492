import type { JobProgress, JobSnapshot, JobState } from '@kwqm/core';
import { isFileOperation, OPERATION_WORDING } from './file-operation.js';

/**
 * The `contextValue` of a job row; menu `when` clauses in the manifest match these exactly
 * (`viewItem == kwqm.job.queued`). One value per set of actions a state allows.
 */
export const JOB_CONTEXT_VALUES = {
  queued: 'kwqm.job.queued',
  running: 'kwqm.job.running',
  succeeded: 'kwqm.job.succeeded',
  failed: 'kwqm.job.failed',
  /** Canceled or removed: nothing to reveal and no error worth showing. */
  stopped: 'kwqm.job.stopped',
} as const;

/** A job row's `contextValue`. */
export type JobContextValue = (typeof JOB_CONTEXT_VALUES)[keyof typeof JOB_CONTEXT_VALUES];

/** The `contextValue` for a job in `state`. */
export function jobContextValue(state: JobState): JobContextValue {
  switch (state) {
    case 'queued':
    case 'running':
    case 'succeeded':
    case 'failed':
      return JOB_CONTEXT_VALUES[state];
    case 'canceled':
    case 'removed':
      return JOB_CONTEXT_VALUES.stopped;
  }
}

/** The file a job reads, when its params name one. */
export function jobInput(job: Pick<JobSnapshot, 'params'>): string | undefined {
  const params = job.params as { input?: unknown } | undefined;
  return typeof params?.input === 'string' ? params.input : undefined;
}

/** The file a finished job wrote, when it wrote one. */
export function jobOutput(job: Pick<JobSnapshot, 'result'>): string | undefined {
  const result = job.result as { output?: unknown } | undefined;
  return typeof result?.output === 'string' ? result.output : undefined;
}

/** The last segment of a path (either separator). */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** The folder part of a path (either separator); the root itself for a file at the root. */
export function folderOf(path: string): string {
  const folder = path.slice(0, path.length - baseName(path).length - 1);
  return folder === '' ? path.slice(0, 1) : folder;
}

/** A row's label: the job's own label, else its input file's name, else its operation and id. */
export function jobLabel(job: Pick<JobSnapshot, 'label' | 'params' | 'operation' | 'id'>): string {
  if (job.label !== undefined && job.label !== '') return job.label;
  const input = jobInput(job);
  return input === undefined ? `${job.operation} ${job.id}` : baseName(input);
}

/** `42%` for a report with a total, else `1.5 MiB` done; `undefined` before the first report. */
export function formatProgress(progress: JobProgress | undefined): string | undefined {
  if (progress === undefined) return undefined;
  if (progress.total !== undefined && progress.total > 0) {
    return `${Math.min(100, Math.floor((progress.done / progress.total) * 100))}%`;
  }
  return progress.unit === undefined || progress.unit === 'bytes'
    ? formatBytes(progress.done)
    : `${progress.done} ${progress.unit}`;
}

/** Bytes in binary units, one decimal from KiB up (`512 B`, `1.5 MiB`). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function operationVerb(operation: string): string {
  return isFileOperation(operation) ? OPERATION_WORDING[operation].verb.toLowerCase() : operation;
}

/** A row's description: the operation and, by state, progress, priority or outcome. */
export function jobDescription(job: JobSnapshot): string {
  const verb = operationVerb(job.operation);
  switch (job.state) {
    case 'running':
      // Canceled, and its worker not stopped yet: the job ends canceled (or done) when it has.
      if (job.cancelRequested === true) return [verb, 'canceling…'].join(' · ');
      return [verb, formatProgress(job.progress) ?? 'starting'].join(' · ');
    case 'queued':
      return [verb, job.priority].join(' · ');
    case 'succeeded':
      return [verb, 'done'].join(' · ');
    case 'failed':
      return [verb, `failed: ${job.error?.code ?? 'INTERNAL'}`].join(' · ');
    case 'canceled':
      return [verb, 'canceled'].join(' · ');
    case 'removed':
      return [verb, 'removed'].join(' · ');
  }
}

/** A row's tooltip: what, where from, where to and how it ended. Never holds a secret (snapshots hold none). */
export function jobTooltip(job: JobSnapshot): string {
  const what = isFileOperation(job.operation) ? OPERATION_WORDING[job.operation].verb : job.operation;
  const state = job.state === 'running' && job.cancelRequested === true ? 'canceling' : job.state;
  const lines = [`${what} — ${state}`];
  const input = jobInput(job);
  if (input !== undefined) lines.push(`Input: ${input}`);
  const output = jobOutput(job);
  if (output !== undefined) lines.push(`Output: ${output}`);
  lines.push(`Priority: ${job.priority}`, `Job: ${job.id}`);
  if (job.error !== undefined) lines.push(`Error (${job.error.code}): ${job.error.message}`);
  return lines.join('\n');
}

/** The codicon id a row shows for its state (`loading~spin` animates). */
export function jobIconId(state: JobState): string {
  switch (state) {
    case 'running':
      return 'loading~spin';
    case 'queued':
      return 'clock';
    case 'succeeded':
      return 'pass';
    case 'failed':
      return 'error';
    case 'canceled':
    case 'removed':
      return 'circle-slash';
  }
}
