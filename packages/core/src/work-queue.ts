import type { Clock, TimerHandle } from './clock.js';
import { EventHub } from './event-hub.js';
import type { Executor } from './executor.js';
import { ExecutorSlot } from './executor-slot.js';
import type { AnyOperationMap, JobProgress, JobSnapshot, JobSpec, OperationMap } from './job.js';
import { JobHistory } from './job-history.js';
import { JobIdGenerator } from './job-id-generator.js';
import { canceledReason, JobRecord, type JobRecordContext, type StopReason } from './job-record.js';
import { JobTable } from './job-table.js';
import { KwqmError } from './kwqm-error.js';
import { DEFAULT_PRIORITY, type Priority } from './priority.js';
import { PriorityQueue } from './priority-queue.js';
import type { QueueEvent, QueueEventOf, QueueEventType, Unsubscribe } from './queue-events.js';
import type { JobHandle, ListOptions, SubmitOptions } from './queue-service.js';
import { QueueTime } from './queue-time.js';
import { Throttle } from './throttle.js';
import { validateJobSpec, validatePriority } from './validate-job-spec.js';
import { validateEventType, validateListener } from './validate-listener.js';
import { validateSubmitOptions } from './validate-submit-options.js';
import { resolveWorkQueueOptions, type WorkQueueOptions } from './work-queue-options.js';

/** The result type of one operation of a map. */
export type OperationResult<Ops extends OperationMap, Op> = Op extends keyof Ops
  ? Ops[Op]['result']
  : unknown;

/** Options of {@link WorkQueue.restore}. */
export interface RestoreOptions {
  /** The id the job had (from a journal). Must not be known to this queue. */
  readonly id: string;
  /** When the job was first accepted (clock ms). */
  readonly createdAt: number;
}

/** Options of {@link WorkQueue.close}. */
export interface CloseOptions {
  /**
   * `true`: queued jobs end `canceled` and running ones are canceled (their signals abort).
   * `false`: everything already accepted still runs.
   * @default false
   */
  readonly cancelPending?: boolean;
}

const LOWER_LEVELS: readonly Priority[] = ['medium', 'low'];
const LEVEL_ABOVE: Readonly<Record<Priority, Priority>> = { high: 'high', medium: 'high', low: 'medium' };
/**
 * The longest delay handed to the clock's `setTimeout`: hosts keep timer delays in a signed 32-bit
 * integer and fire a longer one after 1 ms (Node, browsers). An aging timer due later fires at this
 * bound, finds nothing due and is armed again.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The KWQM scheduler: a bounded three-level priority queue with producer throttling, feeding an
 * {@link Executor} with at most `concurrency` jobs at a time.
 *
 * - Strict priority: high before medium before low, first in first out inside a level.
 * - A free slot takes the next job at once (synchronously, inside `submit` when one is free);
 *   each finished job wakes exactly one waiting job; nothing polls, and an idle queue holds no timer.
 * - Management as in the original: {@link WorkQueue.remove} and {@link WorkQueue.setPriority} of
 *   queued jobs, {@link WorkQueue.list}; plus {@link WorkQueue.cancel} of queued or running ones.
 */
export class WorkQueue<Ops extends OperationMap = AnyOperationMap> {
  readonly #executor: Executor;
  readonly #concurrency: number;
  /** For the aging timer; times are read through `#time`. */
  readonly #clock: Clock;
  /** Every time the queue keeps is queue time (see {@link QueueTime}). */
  readonly #time: QueueTime;
  readonly #agingMs: number | undefined;
  readonly #ids: JobIdGenerator;
  /** Shared by all this queue's records. */
  readonly #recordContext: JobRecordContext;
  readonly #table: JobTable<JobRecord>;
  readonly #queue: PriorityQueue<JobRecord>;
  readonly #throttle: Throttle;
  readonly #events = new EventHub<QueueEvent>();
  /**
   * Running jobs in start order, linked through the records' `queuePrevious`/`queueNext`: a job
   * is never queued and running at once, so the priority queue's links serve both lists.
   */
  #runningHead: JobRecord | undefined = undefined;
  #runningTail: JobRecord | undefined = undefined;
  /** Slots not holding a job; made on demand up to `concurrency`. */
  readonly #freeSlots: ExecutorSlot[] = [];
  readonly #onSettled = (slot: ExecutorSlot, succeeded: boolean, value: unknown): void =>
    this.#settled(slot, succeeded, value);
  /** The last `historyLimit` finished jobs. */
  readonly #history: JobHistory<JobRecord>;
  /** Slots handed to the executor and not yet returned (a job canceled while running holds its slot until then). */
  #busySlots = 0;
  #pumping = false;
  #closed = false;
  #drainWaiters: Array<() => void> = [];
  #agingTimer: TimerHandle | undefined = undefined;
  readonly #onProgress = (record: JobRecord, progress: JobProgress): void => this.#progress(record, progress);

  constructor(options: WorkQueueOptions<Ops>) {
    const resolved = resolveWorkQueueOptions(options as WorkQueueOptions<OperationMap>);
    this.#executor = resolved.executor;
    this.#concurrency = resolved.concurrency;
    this.#clock = resolved.clock;
    this.#time = new QueueTime(resolved.clock);
    this.#agingMs = resolved.agingMs;
    this.#history = new JobHistory(resolved.historyLimit);
    this.#ids = new JobIdGenerator(resolved.idPrefix);
    const ids = this.#ids;
    const time = this.#time;
    this.#recordContext = {
      idOf: (counter) => ids.idOf(counter),
      toClock: (queueTime) => time.toClock(queueTime),
    };
    this.#table = new JobTable(this.#ids.prefix);
    this.#queue = new PriorityQueue<JobRecord>((id) => this.#table.get(id));
    this.#throttle = new Throttle({
      capacity: resolved.capacity,
      maxWaitingProducers: resolved.maxWaitingProducers,
      size: () => this.#queue.size,
    });
  }

  /** The prefix of this queue's job ids. */
  get idPrefix(): string {
    return this.#ids.prefix;
  }

  /** How many jobs are queued (waiting for a slot). */
  get size(): number {
    return this.#queue.size;
  }

  /** How many jobs are queued at one level. */
  sizeOf(priority: Priority): number {
    return this.#queue.sizeOf(priority);
  }

  /** How many executor slots are busy: the running jobs, including cancel-requested ones. */
  get runningCount(): number {
    return this.#busySlots;
  }

  /** How many producers wait for room. */
  get waitingProducers(): number {
    return this.#throttle.waiting;
  }

  /** True once {@link WorkQueue.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Accepts a job. While the queue is full the returned promise waits (first come first served);
   * with `maxWaitingProducers` already waiting it rejects at once with `QUEUE_FULL`. Aborting
   * `options.signal` while waiting (or before the call) rejects with the signal's reason. Rejects
   * with `INVALID_JOB` for a bad spec, `INVALID_OPTION` for options that are not an object or a
   * `signal` that is not an `AbortSignal`, and `QUEUE_CLOSED` after {@link WorkQueue.close}.
   */
  submit<Spec extends JobSpec<Ops>>(
    spec: Spec,
    options?: SubmitOptions,
  ): Promise<JobHandle<OperationResult<Ops, Spec['operation']>>> {
    type Handle = JobHandle<OperationResult<Ops, Spec['operation']>>;
    try {
      if (this.#closed) throw closedError();
      validateJobSpec(spec);
      validateSubmitOptions(options);
      const signal = options?.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (this.#throttle.hasRoom()) {
        return Promise.resolve(this.#acceptNew(spec) as Handle);
      }
      return this.#throttle.wait(() => this.#acceptNew(spec) as Handle, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Puts back a job that was accepted before (by a queue whose journal survived a restart), with
   * its old id and creation time, without waiting for room. Later ids never repeat a restored
   * one that has this queue's prefix. Throws `INVALID_JOB` for a bad spec, id or time, or an id
   * this queue already knows; `QUEUE_CLOSED` after close.
   */
  restore<Spec extends JobSpec<Ops>>(
    spec: Spec,
    options: RestoreOptions,
  ): JobHandle<OperationResult<Ops, Spec['operation']>> {
    if (this.#closed) throw closedError();
    validateJobSpec(spec);
    const { id, createdAt } = options ?? {};
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
      throw new KwqmError('INVALID_JOB', 'Expected `id` to be a string of 1–200 characters', {
        details: { field: 'id' },
      });
    }
    if (this.#find(id) !== undefined) {
      throw new KwqmError('INVALID_JOB', `A job with id \`${id}\` is already known to this queue`, {
        details: { field: 'id', id },
      });
    }
    if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) {
      throw new KwqmError('INVALID_JOB', 'Expected `createdAt` to be a finite number', {
        details: { field: 'createdAt' },
      });
    }
    this.#ids.observe(id);
    return this.#accept(spec, id, this.#time.fromClock(createdAt)) as JobHandle<
      OperationResult<Ops, Spec['operation']>
    >;
  }

  /** Takes a queued job out; it ends `removed` and its result rejects with `REMOVED`. */
  remove(id: string): JobSnapshot {
    const record = this.#queuedRecord(id, 'remove');
    this.#queue.remove(id);
    this.#finishStopped(record, 'removed', {
      code: 'REMOVED',
      message: `Job \`${id}\` was removed`,
      details: { id },
    });
    this.#afterQueueShrank();
    return record.snapshot();
  }

  /** Moves a queued job to the tail of `priority`'s level (also when it is already there). */
  setPriority(id: string, priority: Priority): JobSnapshot {
    validatePriority(priority);
    const record = this.#queuedRecord(id, 'change the priority of');
    const from = record.priority;
    this.#queue.setPriority(id, priority);
    record.priority = priority;
    record.enteredLevelAt = this.#time.now();
    if (this.#events.wants('priority-changed')) {
      this.#events.emit({ type: 'priority-changed', job: record.snapshot(), from });
    }
    this.#armAging();
    return record.snapshot();
  }

  /**
   * Stops a job. A queued one leaves the queue and ends `canceled` at once (its result rejects
   * with `CANCELED`). A running one has its executor signal aborted and stays `running`, with
   * `cancelRequested`, holding its slot until its executor returns, so a final event always means
   * the work has stopped: it then ends `canceled` if the executor rejected (whatever with), or
   * `succeeded` with its result if the work finished anyway. Canceling it again only returns its
   * snapshot.
   */
  cancel(id: string): JobSnapshot {
    const record = this.#find(id);
    if (record === undefined) throw notFound(id);
    if (record.state === 'queued') {
      this.#queue.remove(id);
      this.#finishStopped(record, 'canceled', canceledReason(id));
      this.#afterQueueShrank();
    } else if (record.state === 'running') {
      if (!record.cancelRequested) record.requestCancel();
    } else {
      throw invalidState(id, record.state, 'cancel');
    }
    return record.snapshot();
  }

  /** Running jobs (in start order), then queued ones in dispatch order, then optionally finished ones, newest first. */
  list(options?: ListOptions): JobSnapshot[] {
    const snapshots: JobSnapshot[] = [];
    for (let record = this.#runningHead; record !== undefined; record = record.queueNext) {
      snapshots.push(record.snapshot());
    }
    for (const record of this.#queue.list()) snapshots.push(record.snapshot());
    if (options?.includeFinished === true) {
      for (const record of this.#history.newestFirst()) snapshots.push(record.snapshot());
    }
    return snapshots;
  }

  /** One job, live or from the history; `undefined` when unknown or forgotten. */
  get(id: string): JobSnapshot | undefined {
    return this.#find(id)?.snapshot();
  }

  /** Calls `listener` for every event until unsubscribed. A non-function throws `INVALID_OPTION`. */
  subscribe(listener: (event: QueueEvent) => void): Unsubscribe {
    validateListener(listener);
    return this.#events.subscribe(listener);
  }

  /**
   * Calls `listener` for events of one type until unsubscribed. An unknown `type` (a typo would
   * never fire) or a non-function throws `INVALID_OPTION`.
   */
  on<Type extends QueueEventType>(type: Type, listener: (event: QueueEventOf<Type>) => void): Unsubscribe {
    validateEventType(type);
    validateListener(listener);
    return this.#events.on(type, listener);
  }

  /** Resolves when nothing is queued and no executor slot is busy. */
  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => {
      this.#drainWaiters.push(resolve);
    });
  }

  /**
   * Stops accepting: later submits and every waiting producer reject with `QUEUE_CLOSED`. With
   * `cancelPending`, queued jobs end `canceled` and running ones are canceled (see
   * {@link WorkQueue.cancel}); otherwise they finish. Resolves when the queue is idle: every
   * executor has returned. Calling it again waits too; `close({ cancelPending: true })` after a plain
   * `close()` cancels what that one let run.
   */
  close(options?: CloseOptions): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#throttle.rejectAll(closedError());
    }
    if (options?.cancelPending === true) {
      for (let record = this.#runningHead; record !== undefined; ) {
        // An abort listener may do anything synchronously; the next link is read first.
        const next = record.queueNext;
        if (!record.cancelRequested) record.requestCancel();
        record = next;
      }
      for (let record = this.#queue.shift(); record !== undefined; record = this.#queue.shift()) {
        this.#finishStopped(record, 'canceled', canceledReason(record.id));
      }
      this.#afterQueueShrank();
    }
    return this.drain();
  }

  /** Queues (or starts) a job with a fresh id (made from its counter when first read). */
  #acceptNew(spec: JobSpec<OperationMap>): JobRecord {
    return this.#accept(spec, this.#ids.nextCounter(), undefined);
  }

  /**
   * Queues (or starts) a job: `idOrCounter` is the counter of an id this queue makes, or the id
   * of a restored job, which alone comes with its `createdAt` (in queue time).
   */
  #accept(
    spec: JobSpec<OperationMap>,
    idOrCounter: string | number,
    createdAt: number | undefined,
  ): JobRecord {
    const now = this.#time.now();
    const record = new JobRecord(
      idOrCounter,
      this.#recordContext,
      spec.operation,
      spec.params,
      spec.secrets,
      spec.priority ?? DEFAULT_PRIORITY,
      spec.label,
      createdAt ?? now,
    );
    record.enteredLevelAt = now;
    if (typeof idOrCounter === 'string') this.#table.addOther(record);
    else this.#table.addOwn(idOrCounter, record);
    // An empty queue and a free slot: run it now, skipping the list; order holds since nothing
    // waits. With `queued` listeners it takes the list, so they can find (and cancel) the job.
    if (this.#busySlots < this.#concurrency && this.#queue.size === 0 && !this.#events.wants('queued')) {
      this.#dispatch(record, now);
      return record;
    }
    this.#queue.push(record, record.priority);
    if (this.#events.wants('queued')) this.#events.emit({ type: 'queued', job: record.snapshot() });
    if (this.#agingMs !== undefined && this.#agingTimer === undefined) this.#armAging();
    // Inside the pump (a producer admitted, an executor submitting) the running pump takes it.
    if (this.#busySlots < this.#concurrency) this.#pump(now);
    return record;
  }

  #dispatch(record: JobRecord, now: number): void {
    record.state = 'running';
    record.startedAt = now;
    this.#busySlots++;
    // Append to the running list.
    record.queuePrevious = this.#runningTail;
    if (this.#runningTail === undefined) this.#runningHead = record;
    else this.#runningTail.queueNext = record;
    this.#runningTail = record;
    let slot = this.#freeSlots.pop();
    if (slot === undefined) slot = new ExecutorSlot(this.#onSettled);
    slot.record = record;
    if (this.#events.wants('started')) {
      this.#events.emit({ type: 'started', job: record.snapshot() });
      // A `started` listener canceled it: the executor never sees the job, so it ends now.
      if (record.cancelRequested) {
        this.#unlinkRunning(record);
        this.#finishStopped(record, 'canceled', record.cancelReason());
        slot.record = undefined;
        this.#freeSlots.push(slot);
        this.#busySlots--;
        if (this.#drainWaiters.length > 0 && this.#isIdle()) this.#resolveDrain();
        return;
      }
    }
    let promise: Promise<unknown>;
    try {
      const run = record.run(this.#onProgress);
      promise = this.#executor.run(run, run);
      if (typeof promise?.then !== 'function') promise = Promise.resolve(promise);
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(slot.onFulfilled, slot.onRejected);
  }

  #unlinkRunning(record: JobRecord): void {
    const { queuePrevious, queueNext } = record;
    if (queuePrevious === undefined) this.#runningHead = queueNext;
    else queuePrevious.queueNext = queueNext;
    if (queueNext === undefined) this.#runningTail = queuePrevious;
    else queueNext.queuePrevious = queuePrevious;
    record.queuePrevious = undefined;
    record.queueNext = undefined;
  }

  #settled(slot: ExecutorSlot, succeeded: boolean, value: unknown): void {
    const record = slot.record as JobRecord;
    slot.record = undefined;
    this.#freeSlots.push(slot);
    this.#busySlots--;
    // One reading of the clock serves this job's end and the next job's start.
    const now = this.#time.now();
    this.#unlinkRunning(record);
    if (succeeded) {
      // Also after a cancel request: the work is done and its output exists.
      record.succeed(value, now);
      if (this.#events.wants('succeeded')) this.#events.emit({ type: 'succeeded', job: record.snapshot() });
    } else if (record.cancelRequested) {
      // Whatever the executor rejected with, it stopped because it was asked to.
      record.fail('canceled', record.cancelReason(), now);
      if (this.#events.wants('canceled')) this.#events.emit({ type: 'canceled', job: record.snapshot() });
    } else {
      const error = KwqmError.is(value) ? KwqmError.from(value) : operationFailed(record.id, value);
      record.fail('failed', error, now);
      if (this.#events.wants('failed')) this.#events.emit({ type: 'failed', job: record.snapshot() });
    }
    this.#archive(record);
    this.#pump(now);
    if (this.#drainWaiters.length > 0 && this.#isIdle()) this.#resolveDrain();
  }

  /**
   * Fills free slots from the queue, then admits waiting producers into the room that made.
   * `now` is the queue time if the caller has just read it; it is read on demand otherwise.
   */
  #pump(now: number | undefined): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (;;) {
        while (this.#busySlots < this.#concurrency) {
          const next = this.#queue.shift();
          if (next === undefined) break;
          if (now === undefined) now = this.#time.now();
          this.#dispatch(next, now);
        }
        if (!this.#throttle.releaseOne()) break;
      }
    } finally {
      this.#pumping = false;
    }
    if (this.#agingTimer !== undefined && this.#queue.sizeOf('medium') + this.#queue.sizeOf('low') === 0) {
      this.#clock.clearTimeout(this.#agingTimer);
      this.#agingTimer = undefined;
    }
  }

  #afterQueueShrank(): void {
    this.#pump(undefined);
    if (this.#drainWaiters.length > 0 && this.#isIdle()) this.#resolveDrain();
  }

  #progress(record: JobRecord, progress: JobProgress): void {
    // After the job ended, or once it was asked to stop, progress says nothing worth telling.
    if (record.state !== 'running' || record.cancelRequested) return;
    record.reportProgress(progress);
    if (this.#events.wants('progress')) this.#events.emit({ type: 'progress', jobId: record.id, progress });
  }

  #finishStopped(record: JobRecord, state: 'removed' | 'canceled', error: KwqmError | StopReason): void {
    record.fail(state, error, this.#time.now());
    if (this.#events.wants(state)) this.#events.emit({ type: state, job: record.snapshot() });
    this.#archive(record);
  }

  /** Moves a finished job into the bounded history; the job table forgets the one it pushes out. */
  #archive(record: JobRecord): void {
    const forgotten = this.#history.add(record);
    if (forgotten !== undefined) this.#table.delete(forgotten);
  }

  #find(id: string): JobRecord | undefined {
    return this.#table.get(id);
  }

  #queuedRecord(id: string, action: string): JobRecord {
    const record = this.#find(id);
    if (record === undefined) throw notFound(id);
    if (record.state !== 'queued') throw invalidState(id, record.state, action);
    return record;
  }

  #isIdle(): boolean {
    return this.#queue.size === 0 && this.#busySlots === 0;
  }

  #resolveDrain(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Arms the one aging timer for the oldest job below `high`, if there is one and no timer yet. */
  #armAging(): void {
    const agingMs = this.#agingMs;
    if (agingMs === undefined || this.#agingTimer !== undefined) return;
    // Heads are the oldest of their levels: every way into a level appends at its tail with the current time.
    let due = Number.POSITIVE_INFINITY;
    for (const level of LOWER_LEVELS) {
      const head = this.#queue.peekAt(level);
      if (head !== undefined) due = Math.min(due, head.enteredLevelAt + agingMs);
    }
    if (due === Number.POSITIVE_INFINITY) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, due - this.#time.now()));
    this.#agingTimer = this.#clock.setTimeout(() => this.#age(), delay);
  }

  #age(): void {
    this.#agingTimer = undefined;
    const agingMs = this.#agingMs as number;
    const now = this.#time.now();
    // Medium first: a job promoted from low enters medium now, so it cannot move twice in one pass.
    for (const level of LOWER_LEVELS) {
      for (let head = this.#queue.peekAt(level); head !== undefined; head = this.#queue.peekAt(level)) {
        if (head.enteredLevelAt + agingMs > now) break;
        const to = LEVEL_ABOVE[level];
        this.#queue.setPriority(head.id, to);
        head.priority = to;
        head.enteredLevelAt = now;
        if (this.#events.wants('priority-changed')) {
          this.#events.emit({ type: 'priority-changed', job: head.snapshot(), from: level });
        }
      }
    }
    this.#armAging();
  }
}

function closedError(): KwqmError {
  return new KwqmError('QUEUE_CLOSED', 'The queue is closed and accepts no more jobs');
}

function notFound(id: string): KwqmError {
  return new KwqmError('JOB_NOT_FOUND', `No job with id \`${id}\` is known to this queue`, {
    details: { id },
  });
}

function invalidState(id: string, state: string, action: string): KwqmError {
  return new KwqmError('INVALID_STATE', `Cannot ${action} job \`${id}\`: it is ${state}`, {
    details: { id, state },
  });
}

function operationFailed(id: string, cause: unknown): KwqmError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new KwqmError('OPERATION_FAILED', `Job \`${id}\` failed: ${message}`, { cause, details: { id } });
}
