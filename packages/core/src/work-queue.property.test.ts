import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KwqmError } from './kwqm-error.js';
import type { Priority } from './priority.js';
import type { QueueEvent } from './queue-events.js';
import type { JobHandle } from './queue-service.js';
import { DeferredExecutor, flush } from './testing/deferred-executor.js';
import { WorkQueue } from './work-queue.js';

// A simple reference model of the queue, checked against the real one after every step.
// Jobs are named by their submission number; the real ids are mapped back through the handles.

type Command =
  | { readonly kind: 'submit'; readonly priority: Priority; readonly withSignal: boolean }
  | { readonly kind: 'complete'; readonly pick: number; readonly fail: boolean }
  | { readonly kind: 'remove' | 'cancel'; readonly pick: number; readonly among: Among }
  | {
      readonly kind: 'setPriority';
      readonly pick: number;
      readonly among: Among;
      readonly priority: Priority;
    }
  | { readonly kind: 'abortWaiter'; readonly pick: number };

/** Which jobs a management command aims at: mostly live ones, where the interesting rules are. */
type Among = 'queued' | 'running' | 'any';
const amongArbitrary = fc.constantFrom<Among>('queued', 'queued', 'running', 'any');

type ModelState =
  | 'waiting'
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'canceled'
  | 'removed'
  | 'rejected';

interface ModelJob {
  readonly number: number;
  priority: Priority;
  state: ModelState;
  /** Still holds an executor slot (running, also when canceled and not yet returned). */
  inSlot: boolean;
  /** Canceled while running: stays running until its executor returns. */
  cancelRequested: boolean;
  rejectedWith?: string;
}

const LEVELS: readonly Priority[] = ['high', 'medium', 'low'];

class Model {
  readonly jobs: ModelJob[] = [];
  readonly levels: Record<Priority, number[]> = { high: [], medium: [], low: [] };
  readonly waiters: number[] = [];
  /** Slot holders in start order. */
  readonly slots: number[] = [];
  readonly startOrder: number[] = [];

  constructor(
    readonly concurrency: number,
    readonly capacity: number,
    readonly maxWaiting: number,
  ) {}

  get queuedCount(): number {
    return this.levels.high.length + this.levels.medium.length + this.levels.low.length;
  }

  dispatchOrder(): number[] {
    return [...this.levels.high, ...this.levels.medium, ...this.levels.low];
  }

  submit(priority: Priority): ModelJob {
    const job: ModelJob = {
      number: this.jobs.length,
      priority,
      state: 'waiting',
      inSlot: false,
      cancelRequested: false,
    };
    this.jobs.push(job);
    if (this.waiters.length === 0 && this.queuedCount < this.capacity) {
      this.#accept(job);
      this.pump();
    } else if (this.waiters.length >= this.maxWaiting) {
      job.state = 'rejected';
      job.rejectedWith = 'QUEUE_FULL';
    } else {
      this.waiters.push(job.number);
    }
    return job;
  }

  #accept(job: ModelJob): void {
    job.state = 'queued';
    this.levels[job.priority].push(job.number);
  }

  /** Fill free slots, then admit waiters into the room that made, as long as either is possible. */
  pump(): void {
    for (;;) {
      while (this.slots.length < this.concurrency && this.queuedCount > 0) {
        const level = LEVELS.find((candidate) => this.levels[candidate].length > 0) as Priority;
        const number = this.levels[level].shift() as number;
        const job = this.jobs[number] as ModelJob;
        job.state = 'running';
        job.inSlot = true;
        this.slots.push(number);
        this.startOrder.push(number);
      }
      if (this.waiters.length === 0 || this.queuedCount >= this.capacity) break;
      this.#accept(this.jobs[this.waiters.shift() as number] as ModelJob);
    }
  }

  takeOutOfLevel(job: ModelJob): void {
    const list = this.levels[job.priority];
    list.splice(list.indexOf(job.number), 1);
  }
}

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      priority: fc.constantFrom<Priority>('high', 'medium', 'low'),
      withSignal: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('complete' as const), pick: fc.nat(), fail: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('remove' as const, 'cancel' as const),
      pick: fc.nat(),
      among: amongArbitrary,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('setPriority' as const),
      pick: fc.nat(),
      among: amongArbitrary,
      priority: fc.constantFrom<Priority>('high', 'medium', 'low'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abortWaiter' as const), pick: fc.nat() }) },
);

interface Submission {
  readonly number: number;
  readonly controller: AbortController | undefined;
  readonly reason: Error;
  outcome:
    | { kind: 'pending' }
    | { kind: 'accepted'; handle: JobHandle }
    | { kind: 'rejected'; error: unknown };
  settledOrder: number;
}

async function runScenario(
  concurrency: number,
  capacity: number,
  maxWaiting: number,
  commands: readonly Command[],
): Promise<void> {
  const executor = new DeferredExecutor();
  const queue = new WorkQueue({
    executor,
    concurrency,
    capacity,
    maxWaitingProducers: maxWaiting,
    idPrefix: 'p',
  });
  const model = new Model(concurrency, capacity, maxWaiting);
  const submissions: Submission[] = [];
  const numberById = new Map<string, number>();
  const finalEvents = new Map<string, string[]>();
  const admissionOrder: number[] = [];
  let settleCounter = 0;
  queue.subscribe((event: QueueEvent) => {
    if (event.type === 'progress' || event.type === 'priority-changed') return;
    if (
      event.type === 'succeeded' ||
      event.type === 'failed' ||
      event.type === 'canceled' ||
      event.type === 'removed'
    ) {
      const list = finalEvents.get(event.job.id) ?? [];
      list.push(event.type);
      finalEvents.set(event.job.id, list);
    }
  });

  const idOf = (number: number): string | undefined => {
    const outcome = submissions[number]?.outcome;
    return outcome?.kind === 'accepted' ? outcome.handle.id : undefined;
  };
  const modelJobByPick = (pick: number, among: Among): ModelJob | undefined => {
    const known = model.jobs.filter((job) =>
      among === 'any' ? job.state !== 'waiting' && job.state !== 'rejected' : job.state === among,
    );
    // One slot in the choice stands for an id the queue never issued.
    return pick % (known.length + 1) === known.length ? undefined : known[pick % (known.length + 1)];
  };
  const errorCode = (call: () => unknown): string | undefined => {
    try {
      call();
      return undefined;
    } catch (error) {
      return (error as KwqmError).code;
    }
  };

  // One comparison per step (expect is slow enough to matter across thousands of steps).
  const check = (): void => {
    const running = model.startOrder.filter((number) => model.jobs[number]?.state === 'running');
    const describeReal = (number: number): string => {
      const submission = submissions[number] as Submission;
      const { outcome } = submission;
      if (outcome.kind === 'pending') return 'waiting';
      if (outcome.kind === 'rejected') {
        return outcome.error === submission.reason
          ? 'rejected:abort'
          : `rejected:${(outcome.error as KwqmError).code}`;
      }
      const snapshot = queue.get(outcome.handle.id);
      return `${snapshot?.state}:${snapshot?.priority}${snapshot?.cancelRequested === true ? ':canceling' : ''}`;
    };
    const describeModel = (job: ModelJob): string => {
      if (job.state === 'waiting') return 'waiting';
      if (job.state === 'rejected') return `rejected:${job.rejectedWith ?? 'abort'}`;
      const canceling = job.state === 'running' && job.cancelRequested ? ':canceling' : '';
      return `${job.state}:${job.priority}${canceling}`;
    };
    const actual = {
      sizes: [queue.size, queue.sizeOf('high'), queue.sizeOf('medium'), queue.sizeOf('low')],
      runningCount: queue.runningCount,
      waitingProducers: queue.waitingProducers,
      // Running jobs in start order, then the queued ones level by level.
      listed: queue.list().map((snapshot) => numberById.get(snapshot.id)),
      // Everything the executor was given, in order, and nothing twice.
      started: executor.runs.map((run) => numberById.get(run.job.id)),
      jobs: model.jobs.map((job) => describeReal(job.number)),
      // Nobody overtakes a waiting producer, so handles arrive in submission order.
      admissionSorted: admissionOrder.every(
        (number, index) => index === 0 || (admissionOrder[index - 1] as number) < number,
      ),
      // Throttle invariant: nobody waits while there is room.
      waitersOnlyWhenFull: queue.waitingProducers === 0 || queue.size >= capacity,
    };
    const expected = {
      sizes: [
        model.queuedCount,
        model.levels.high.length,
        model.levels.medium.length,
        model.levels.low.length,
      ],
      runningCount: model.slots.length,
      waitingProducers: model.waiters.length,
      listed: [...running, ...model.dispatchOrder()],
      started: model.startOrder,
      jobs: model.jobs.map(describeModel),
      admissionSorted: true,
      waitersOnlyWhenFull: true,
    };
    expect(actual).toEqual(expected);
  };

  for (const command of commands) {
    switch (command.kind) {
      case 'submit': {
        const number = submissions.length;
        const controller = command.withSignal ? new AbortController() : undefined;
        const submission: Submission = {
          number,
          controller,
          reason: new Error(`abort ${number}`),
          outcome: { kind: 'pending' },
          settledOrder: 0,
        };
        submissions.push(submission);
        queue
          .submit(
            { operation: 'op', params: number, priority: command.priority },
            { signal: controller?.signal },
          )
          .then(
            (handle) => {
              submission.outcome = { kind: 'accepted', handle };
              submission.settledOrder = ++settleCounter;
              numberById.set(handle.id, number);
              admissionOrder.push(number);
            },
            (error: unknown) => {
              submission.outcome = { kind: 'rejected', error };
              submission.settledOrder = ++settleCounter;
            },
          );
        model.submit(command.priority);
        // The id of an accepted job is known synchronously from the executor or the list.
        break;
      }
      case 'complete': {
        if (executor.pending.length === 0) break;
        const run = executor.pending[command.pick % executor.pending.length];
        if (run === undefined) break;
        const number = numberById.get(run.job.id) as number;
        const job = model.jobs[number] as ModelJob;
        if (command.fail) run.reject(new Error('failed'));
        else run.resolve(number);
        model.slots.splice(model.slots.indexOf(number), 1);
        job.inSlot = false;
        // A cancel-requested job that the executor rejects ends canceled; one that resolves did the work.
        if (command.fail) job.state = job.cancelRequested ? 'canceled' : 'failed';
        else job.state = 'succeeded';
        model.pump();
        break;
      }
      case 'remove':
      case 'setPriority':
      case 'cancel': {
        const job = modelJobByPick(command.pick, command.among);
        const id = job === undefined ? 'p-unknown' : (idOf(job.number) as string);
        const newPriority: Priority = command.kind === 'setPriority' ? command.priority : 'medium';
        const code = errorCode(() => {
          if (command.kind === 'remove') queue.remove(id);
          else if (command.kind === 'cancel') queue.cancel(id);
          else queue.setPriority(id, newPriority);
        });
        if (job === undefined) {
          expect(code).toBe('JOB_NOT_FOUND');
        } else if (command.kind === 'cancel') {
          if (job.state === 'queued' || job.state === 'running') {
            expect(code).toBeUndefined();
            if (job.state === 'queued') {
              model.takeOutOfLevel(job);
              job.state = 'canceled';
              model.pump();
            } else {
              // Running: it keeps its slot and state until the executor returns.
              job.cancelRequested = true;
            }
          } else {
            expect(code).toBe('INVALID_STATE');
          }
        } else if (job.state !== 'queued') {
          expect(code).toBe('INVALID_STATE');
        } else if (command.kind === 'remove') {
          expect(code).toBeUndefined();
          model.takeOutOfLevel(job);
          job.state = 'removed';
          model.pump();
        } else {
          expect(code).toBeUndefined();
          model.takeOutOfLevel(job);
          job.priority = newPriority;
          model.levels[newPriority].push(job.number);
        }
        break;
      }
      case 'abortWaiter': {
        const withSignal = model.waiters.filter((number) => submissions[number]?.controller !== undefined);
        if (withSignal.length === 0) break;
        const number = withSignal[command.pick % withSignal.length] as number;
        const submission = submissions[number] as Submission;
        submission.controller?.abort(submission.reason);
        model.waiters.splice(model.waiters.indexOf(number), 1);
        (model.jobs[number] as ModelJob).state = 'rejected';
        break;
      }
    }
    await flush();
    check();
  }

  // Wind down: close with cancelPending, let every executor return, and count the endings.
  const closing = queue.close({ cancelPending: true });
  for (const number of model.waiters) {
    const job = model.jobs[number] as ModelJob;
    job.state = 'rejected';
  }
  // Every running job is now asked to stop, and nothing has ended yet.
  expect(
    queue
      .list()
      .filter((snapshot) => snapshot.state === 'running')
      .every((snapshot) => snapshot.cancelRequested === true),
  ).toBe(true);
  expect(queue.runningCount).toBe(model.slots.length);
  // Some executors stop on the abort (canceled), others had finished anyway (succeeded).
  let stopNext = true;
  while (executor.pending.length > 0) {
    if (stopNext) executor.pending[0]?.reject(new Error('aborted'));
    else executor.pending[0]?.resolve('late');
    stopNext = !stopNext;
  }
  await closing;
  await flush();
  for (const submission of submissions) {
    expect(submission.outcome.kind).not.toBe('pending');
    if (submission.outcome.kind !== 'accepted') continue;
    const { handle } = submission.outcome;
    const endings = finalEvents.get(handle.id) ?? [];
    expect(endings).toHaveLength(1);
    const snapshot = queue.get(handle.id);
    expect(snapshot?.state).toBe(endings[0]);
    const settled = await handle.result.then(
      () => 'succeeded',
      (error: KwqmError) => error.code,
    );
    const expected: Record<string, string> = {
      succeeded: 'succeeded',
      failed: 'OPERATION_FAILED',
      canceled: 'CANCELED',
      removed: 'REMOVED',
    };
    expect(settled).toBe(expected[endings[0] as string]);
  }
  expect(queue.size).toBe(0);
  expect(queue.runningCount).toBe(0);
}

describe('WorkQueue against a reference model', () => {
  it('keeps order, sizes, throttling and final states under random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(commandArbitrary, { minLength: 1, maxLength: 60, size: 'max' }),
        async (concurrency, capacity, maxWaiting, commands) => {
          await runScenario(concurrency, capacity, maxWaiting, commands);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});
