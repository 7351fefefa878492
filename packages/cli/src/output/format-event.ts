import type { QueueEvent } from '@kwqm/core';
import type { Colors } from './colors.js';
import { jobFile } from './job-view.js';

/**
 * One human line per queue event for `kwqm watch`: time, event, id, operation, file, plus the
 * error code of a failure or the old level of a priority change. Progress events are too many
 * for a person and return `undefined` (`--json` prints them all).
 */
export function formatEvent(event: QueueEvent, at: Date, colors: Colors, cwd?: string): string | undefined {
  if (event.type === 'progress') return undefined;
  const time = at.toISOString().slice(11, 19);
  const { job } = event;
  let type: string = event.type;
  if (event.type === 'succeeded') type = colors.green(type);
  else if (event.type === 'failed') type = colors.red(type);
  let detail = '';
  if (event.type === 'priority-changed') detail = ` (${event.from} -> ${job.priority})`;
  else if (job.error !== undefined) detail = ` (${job.error.code})`;
  return `${colors.dim(time)} ${type.padEnd(colors.enabled ? type.length + 16 - event.type.length : 16)} ${job.id} ${job.operation} ${job.priority} ${jobFile(job, cwd)}${detail}`;
}
