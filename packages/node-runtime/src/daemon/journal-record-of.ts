import type { QueueEvent } from '@kwqm/core';
import type { JournaledJob, JournalRecord } from './journal-records.js';

/**
 * The journal record a queue event calls for, or `undefined` (progress is not journaled).
 * Params are kept, secrets cannot be: events never carry them, so `hadSecrets` says whether the
 * submit had any, which is all a restart needs to know (the job then fails with `SECRET_LOST`).
 */
export function journalRecordOf(
  event: QueueEvent,
  hadSecrets: (params: unknown) => boolean,
  now: () => number = Date.now,
): JournalRecord | undefined {
  switch (event.type) {
    case 'queued': {
      const { job } = event;
      // Built field by field: a spread of a conditional object costs a measurable share of a
      // submit's time, and this runs before every submit is answered.
      const journaled: { -readonly [Key in keyof JournaledJob]: JournaledJob[Key] } = {
        id: job.id,
        operation: job.operation,
        params: job.params,
        priority: job.priority,
        createdAt: job.createdAt,
        hadSecrets: hadSecrets(job.params),
      };
      if (job.label !== undefined) journaled.label = job.label;
      return { type: 'queued', job: journaled };
    }
    case 'started':
      return { type: 'started', id: event.job.id, at: event.job.startedAt ?? now() };
    case 'priority-changed':
      return { type: 'priority', id: event.job.id, priority: event.job.priority };
    case 'progress':
      return undefined;
    default:
      return { type: 'finished', job: event.job };
  }
}
