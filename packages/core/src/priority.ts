/** The three levels of the original KWQM queue, highest first. Dispatch order follows this list. */
export const PRIORITIES = ['high', 'medium', 'low'] as const;

/** A job's priority level. */
export type Priority = (typeof PRIORITIES)[number];

/** The priority a job gets when its spec names none. */
export const DEFAULT_PRIORITY: Priority = 'medium';

/** True when `value` is one of {@link PRIORITIES}. */
export function isPriority(value: unknown): value is Priority {
  return value === 'high' || value === 'medium' || value === 'low';
}
