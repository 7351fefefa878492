import {
  isFinalState,
  type JobSnapshot,
  KwqmError,
  PRIORITIES,
  type Priority,
  type QueueEvent,
} from '@kwqm/core';

/** A group of rows in the queue view. */
export type QueueGroupId = 'running' | `queued-${Priority}` | 'finished';

/** One group as the view shows it: its jobs in display order. */
export interface QueueGroup {
  readonly id: QueueGroupId;
  readonly label: string;
  readonly jobs: readonly JobSnapshot[];
}

/** What an applied event changed, so the view refreshes no more than it must. */
export type QueueModelChange =
  /** Nothing visible changed (an event for a job this model dropped). */
  | { readonly kind: 'none' }
  /** Only this job's row changed (progress): refresh that row. */
  | { readonly kind: 'job'; readonly jobId: string }
  /** Rows moved between groups or appeared: refresh the whole tree. */
  | { readonly kind: 'tree' };

/** Options of {@link QueueModel}. */
export interface QueueModelOptions {
  /** Finished jobs kept in the view, newest first; older ones drop off. @default 50 */
  readonly finishedLimit?: number;
}

const GROUP_LABELS: Readonly<Record<QueueGroupId, string>> = {
  running: 'Running',
  'queued-high': 'Queued — high priority',
  'queued-medium': 'Queued — medium priority',
  'queued-low': 'Queued — low priority',
  finished: 'Finished',
};

/**
 * The queue view's state, built only from a listing and the queue's events (never by polling):
 * jobs grouped by state — running, queued by priority (dispatch order inside each level),
 * finished (newest first, bounded).
 */
export class QueueModel {
  readonly #jobs = new Map<string, JobSnapshot>();
  /** Queued ids per level in arrival order: the queue dispatches FIFO inside a level. */
  readonly #queueOrder = new Map<string, number>();
  readonly #finishedLimit: number;
  #sequence = 0;

  constructor(options: QueueModelOptions = {}) {
    const limit = options.finishedLimit ?? 50;
    if (!Number.isInteger(limit) || limit < 0) {
      throw new KwqmError(
        'INVALID_OPTION',
        `Expected \`finishedLimit\` to be an integer >= 0, got \`${limit}\` (${typeof limit})`,
      );
    }
    this.#finishedLimit = limit;
  }

  /** Replaces the state with a listing (running, then queued in dispatch order, then finished newest first). */
  reset(jobs: readonly JobSnapshot[]): void {
    this.#jobs.clear();
    this.#queueOrder.clear();
    for (const job of jobs) this.#store(job);
    this.#trimFinished();
  }

  /**
   * Takes in the listing of a queue (re)opened after another: its jobs replace every queued and
   * running row, while the Finished rows stay (a queue replaced after a settings change, or a
   * daemon connection lost, takes its history with it, and the user's record of what ran must not
   * vanish with it). A finished job the listing also holds takes the listing's state.
   */
  resetKeepingFinished(jobs: readonly JobSnapshot[]): void {
    this.forgetUnfinished();
    for (const job of jobs) this.#store(job);
    this.#trimFinished();
  }

  /** Drops the queued and running rows (their queue was closed: no event will end them here). */
  forgetUnfinished(): void {
    for (const [id, job] of this.#jobs) {
      if (!isFinalState(job.state)) {
        this.#jobs.delete(id);
        this.#queueOrder.delete(id);
      }
    }
  }

  /** Applies one queue event and says what to refresh. */
  apply(event: QueueEvent): QueueModelChange {
    if (event.type === 'progress') {
      const job = this.#jobs.get(event.jobId);
      if (job === undefined || job.state !== 'running') return { kind: 'none' };
      this.#jobs.set(job.id, { ...job, progress: event.progress });
      return { kind: 'job', jobId: job.id };
    }
    const previous = this.#jobs.get(event.job.id);
    // Events can arrive after a reset that already holds a newer state; a final state never reverts.
    if (previous !== undefined && isFinalState(previous.state) && !isFinalState(event.job.state)) {
      return { kind: 'none' };
    }
    const keepProgress =
      event.job.progress ?? (event.job.state === 'running' ? previous?.progress : undefined);
    this.#store(keepProgress === undefined ? event.job : { ...event.job, progress: keepProgress });
    this.#trimFinished();
    return { kind: 'tree' };
  }

  /**
   * Notes the reply to a cancel: a running job stays running until its worker has stopped, now
   * marked `cancelRequested` so its row can say "canceling". Anything else waits for its events.
   */
  noteCancelRequested(reply: JobSnapshot): QueueModelChange {
    const job = this.#jobs.get(reply.id);
    if (job?.state !== 'running' || reply.state !== 'running' || reply.cancelRequested !== true) {
      return { kind: 'none' };
    }
    this.#jobs.set(job.id, { ...job, cancelRequested: true });
    return { kind: 'job', jobId: job.id };
  }

  /**
   * Marks every job still queued or running as failed with `error`: the engine that held them
   * went away (a daemon that died and did not come back), so no event will ever end them, and
   * rows left "running" would count in the status bar and badge forever.
   */
  noteLost(error: KwqmError, now: number): QueueModelChange {
    let changed = false;
    for (const job of [...this.#jobs.values()]) {
      if (isFinalState(job.state)) continue;
      const { cancelRequested: _cancelRequested, ...rest } = job;
      this.#store({ ...rest, state: 'failed', finishedAt: now, error: error.toJSON() });
      changed = true;
    }
    if (!changed) return { kind: 'none' };
    this.#trimFinished();
    return { kind: 'tree' };
  }

  /** One job, as last seen. */
  get(id: string): JobSnapshot | undefined {
    return this.#jobs.get(id);
  }

  /** The jobs running or queued, running first. */
  unfinished(): JobSnapshot[] {
    const live = [...this.#jobs.values()].filter((job) => !isFinalState(job.state));
    return live.sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running'));
  }

  /** Jobs running and queued. */
  counts(): { running: number; queued: number } {
    let running = 0;
    let queued = 0;
    for (const job of this.#jobs.values()) {
      if (job.state === 'running') running += 1;
      else if (job.state === 'queued') queued += 1;
    }
    return { running, queued };
  }

  /** True when the view has no rows (the welcome view shows then). */
  get isEmpty(): boolean {
    return this.#jobs.size === 0;
  }

  /** Drops every finished job from the view. */
  clearFinished(): void {
    for (const [id, job] of this.#jobs) if (isFinalState(job.state)) this.#jobs.delete(id);
  }

  /** The non-empty groups, in display order. */
  groups(): QueueGroup[] {
    const running: JobSnapshot[] = [];
    const queued: Record<Priority, JobSnapshot[]> = { high: [], medium: [], low: [] };
    const finished: JobSnapshot[] = [];
    for (const job of this.#jobs.values()) {
      if (job.state === 'running') running.push(job);
      else if (job.state === 'queued') queued[job.priority].push(job);
      else finished.push(job);
    }
    running.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
    for (const level of PRIORITIES) {
      queued[level].sort((a, b) => (this.#queueOrder.get(a.id) ?? 0) - (this.#queueOrder.get(b.id) ?? 0));
    }
    finished.sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
    const groups: QueueGroup[] = [];
    const add = (id: QueueGroupId, jobs: JobSnapshot[]) => {
      if (jobs.length > 0) groups.push({ id, label: GROUP_LABELS[id], jobs });
    };
    add('running', running);
    for (const level of PRIORITIES) add(`queued-${level}`, queued[level]);
    add('finished', finished);
    return groups;
  }

  #store(job: JobSnapshot): void {
    const previous = this.#jobs.get(job.id);
    // A job enters the tail of its level when queued or moved to another level, as the queue does.
    if (job.state === 'queued' && (previous?.state !== 'queued' || previous.priority !== job.priority)) {
      this.#sequence += 1;
      this.#queueOrder.set(job.id, this.#sequence);
    } else if (job.state !== 'queued') {
      this.#queueOrder.delete(job.id);
    }
    this.#jobs.set(job.id, job);
  }

  #trimFinished(): void {
    const finished = [...this.#jobs.values()].filter((job) => isFinalState(job.state));
    if (finished.length <= this.#finishedLimit) return;
    finished.sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
    for (const job of finished.slice(this.#finishedLimit)) this.#jobs.delete(job.id);
  }
}
