import type { JobProgress, JobSnapshot } from './job.js';
import type { Priority } from './priority.js';

/**
 * Everything that happens to jobs, as plain data. Every event but `progress` carries the job's
 * snapshot after the change, so a subscriber (a list view, a daemon client) never has to ask.
 */
export type QueueEvent =
  | { readonly type: 'queued'; readonly job: JobSnapshot }
  | { readonly type: 'started'; readonly job: JobSnapshot }
  | { readonly type: 'progress'; readonly jobId: string; readonly progress: JobProgress }
  | { readonly type: 'priority-changed'; readonly job: JobSnapshot; readonly from: Priority }
  | { readonly type: 'succeeded'; readonly job: JobSnapshot }
  | { readonly type: 'failed'; readonly job: JobSnapshot }
  | { readonly type: 'canceled'; readonly job: JobSnapshot }
  | { readonly type: 'removed'; readonly job: JobSnapshot };

/** The name of a {@link QueueEvent}. */
export type QueueEventType = QueueEvent['type'];

/** The event of one type. */
export type QueueEventOf<T extends QueueEventType> = Extract<QueueEvent, { type: T }>;

/** The events after which a job never changes again. */
export const FINAL_EVENT_TYPES = ['succeeded', 'failed', 'canceled', 'removed'] as const;

/** Stops a subscription. Calling it twice is harmless. */
export type Unsubscribe = () => void;
