/** What the queue holds when a setting that reopens it (`kwqm.useDaemon`, `kwqm.workers`, `kwqm.queueCapacity`) changes. */
export interface QueueActivity {
  /** Where the open queue runs. */
  readonly location: 'editor' | 'daemon';
  /** Jobs running and queued in the view (a daemon's include other clients' jobs). */
  readonly running: number;
  readonly queued: number;
  /** Jobs this window submitted that have not ended. */
  readonly ownUnfinished: number;
}

/**
 * Whether the queue may be closed now so the next job opens one from the new settings. An
 * in-editor queue only while idle: closing it cancels its jobs. A daemon connection once this
 * window's own jobs have ended: its jobs go on in the daemon either way, but a closed connection
 * drops their rows and their finish notifications (other clients' jobs never block it, or a
 * busy shared daemon would hold the old settings forever). Either way not before this window's
 * last job has had its finish notification (which reads the job from the queue that ran it).
 */
export function mayReopenNow(activity: QueueActivity): boolean {
  if (activity.ownUnfinished > 0) return false;
  return activity.location === 'daemon' || activity.running + activity.queued === 0;
}
