import type { QueueEvent } from '@kwqm/core';
import { formatProgress, jobInput, jobOutput } from './job-presentation.js';

/**
 * One output-channel line for a queue event. Built from the event's snapshot only, which by
 * contract never holds secrets, so nothing typed into a password box can reach the log.
 */
export function eventLogLine(event: QueueEvent): string {
  if (event.type === 'progress') {
    return `progress ${event.jobId} ${formatProgress(event.progress) ?? ''}`.trimEnd();
  }
  const job = event.job;
  const parts = [event.type, job.id, job.operation, `priority=${job.priority}`];
  const input = jobInput(job);
  if (input !== undefined) parts.push(`input=${JSON.stringify(input)}`);
  if (event.type === 'priority-changed') parts.push(`from=${event.from}`);
  const output = jobOutput(job);
  if (output !== undefined) parts.push(`output=${JSON.stringify(output)}`);
  if (job.error !== undefined) parts.push(`error=${job.error.code}`, JSON.stringify(job.error.message));
  return parts.join(' ');
}
