import { invalidOption } from './describe-value.js';
import type { QueueEventType } from './queue-events.js';

// Listeners are called later, from inside the queue's dispatch: a non-function would fail there, far
// from the mistake, and an unknown event type would simply never fire. Both are refused at once.

const QUEUE_EVENT_TYPES: ReadonlySet<string> = new Set<QueueEventType>([
  'queued',
  'started',
  'progress',
  'priority-changed',
  'succeeded',
  'failed',
  'canceled',
  'removed',
]);

/** Throws `INVALID_OPTION` unless `listener` is a function. */
export function validateListener(listener: unknown): void {
  if (typeof listener !== 'function') throw invalidOption('listener', 'a function', listener);
}

/** Throws `INVALID_OPTION` unless `type` names a queue event. */
export function validateEventType(type: unknown): void {
  if (typeof type !== 'string' || !QUEUE_EVENT_TYPES.has(type)) {
    throw invalidOption(
      'type',
      `one of ${[...QUEUE_EVENT_TYPES].map((name) => `'${name}'`).join(', ')}`,
      type,
    );
  }
}
