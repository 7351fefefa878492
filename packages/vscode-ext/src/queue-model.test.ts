import { type JobSnapshot, KwqmError, type QueueEvent } from '@kwqm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueModel } from './queue-model.js';
import { snapshot } from './test-jobs.js';

const ids = (model: QueueModel) => model.groups().map((group) => [group.id, group.jobs.map((job) => job.id)]);

describe('QueueModel', () => {
  it('marks the queued and running jobs of an engine that went away as failed, and only those', () => {
    const model = new QueueModel();
    model.reset([
      snapshot({ id: 'r1', state: 'running', startedAt: 5, cancelRequested: true }),
      snapshot({ id: 'q1', priority: 'low' }),
      snapshot({ id: 'f1', state: 'succeeded', finishedAt: 3 }),
    ]);
    const lost = new KwqmError('CONNECTION_CLOSED', 'The daemon went away and did not come back');
    expect(model.noteLost(lost, 100)).toEqual({ kind: 'tree' });
    expect(model.counts()).toEqual({ running: 0, queued: 0 });
    for (const id of ['r1', 'q1']) {
      const job = model.get(id);
      expect(job?.state).toBe('failed');
      expect(job?.error?.code).toBe('CONNECTION_CLOSED');
      expect(job?.finishedAt).toBe(100);
      expect(job?.cancelRequested).toBeUndefined();
    }
    expect(model.get('f1')?.state).toBe('succeeded');
    expect(model.noteLost(lost, 200)).toEqual({ kind: 'none' });
    expect(ids(model)).toEqual([['finished', ['r1', 'q1', 'f1']]]);
  });

  it("keeps a replaced queue's Finished rows when the next queue's listing comes in; the listing wins for a job it holds", () => {
    const model = new QueueModel({ finishedLimit: 3 });
    model.reset([
      snapshot({ id: 'r1', state: 'running', startedAt: 5 }),
      snapshot({ id: 'q1' }),
      snapshot({ id: 'f1', state: 'succeeded', finishedAt: 3 }),
      snapshot({ id: 'f2', state: 'failed', finishedAt: 4 }),
    ]);
    model.forgetUnfinished();
    expect(ids(model)).toEqual([['finished', ['f2', 'f1']]]);
    model.resetKeepingFinished([
      snapshot({ id: 'n1', state: 'running', startedAt: 9 }),
      snapshot({ id: 'f2', state: 'succeeded', finishedAt: 6 }),
      snapshot({ id: 'n2', state: 'succeeded', finishedAt: 8 }),
      snapshot({ id: 'n3', state: 'canceled', finishedAt: 7 }),
    ]);
    // The limit still holds across both: the oldest (f1) drops off.
    expect(ids(model)).toEqual([
      ['running', ['n1']],
      ['finished', ['n2', 'n3', 'f2']],
    ]);
    expect(model.get('f2')?.state).toBe('succeeded');
    expect(model.unfinished().map((job) => job.id)).toEqual(['n1']);
  });

  it('groups a listing by state: running, queued by priority in dispatch order, finished newest first', () => {
    const model = new QueueModel();
    model.reset([
      snapshot({ id: 'r1', state: 'running', startedAt: 5 }),
      snapshot({ id: 'q1', priority: 'high' }),
      snapshot({ id: 'q2', priority: 'low' }),
      snapshot({ id: 'q3', priority: 'high' }),
      snapshot({ id: 'f1', state: 'succeeded', finishedAt: 10 }),
      snapshot({ id: 'f2', state: 'failed', finishedAt: 20 }),
    ]);
    expect(ids(model)).toEqual([
      ['running', ['r1']],
      ['queued-high', ['q1', 'q3']],
      ['queued-low', ['q2']],
      ['finished', ['f2', 'f1']],
    ]);
    expect(model.counts()).toEqual({ running: 1, queued: 3 });
  });

  it('moves a job through its life from events and says what to refresh', () => {
    const model = new QueueModel();
    expect(model.isEmpty).toBe(true);
    const queued = snapshot({ id: 'a' });
    expect(model.apply({ type: 'queued', job: queued })).toEqual({ kind: 'tree' });
    expect(model.isEmpty).toBe(false);
    expect(model.apply({ type: 'started', job: { ...queued, state: 'running', startedAt: 2 } })).toEqual({
      kind: 'tree',
    });
    expect(model.apply({ type: 'progress', jobId: 'a', progress: { done: 5, total: 10 } })).toEqual({
      kind: 'job',
      jobId: 'a',
    });
    expect(model.get('a')?.progress).toEqual({ done: 5, total: 10 });
    model.apply({ type: 'succeeded', job: { ...queued, state: 'succeeded', finishedAt: 3 } });
    expect(ids(model)).toEqual([['finished', ['a']]]);
    expect(model.counts()).toEqual({ running: 0, queued: 0 });
  });

  it('ignores progress for unknown or not-running jobs, and never reverts a final state', () => {
    const model = new QueueModel();
    expect(model.apply({ type: 'progress', jobId: 'x', progress: { done: 1 } })).toEqual({ kind: 'none' });
    const job = snapshot({ id: 'a', state: 'canceled', finishedAt: 4 });
    model.reset([job]);
    expect(model.apply({ type: 'started', job: { ...job, state: 'running' } })).toEqual({ kind: 'none' });
    expect(model.get('a')?.state).toBe('canceled');
  });

  it('marks a running job canceling from a cancel reply until its final event', () => {
    const model = new QueueModel();
    const running = snapshot({ id: 'a', state: 'running', startedAt: 2, progress: { done: 1, total: 4 } });
    model.reset([running, snapshot({ id: 'q' })]);
    // A queued job's cancel ends it at once: its canceled event says so, not the reply.
    expect(model.noteCancelRequested(snapshot({ id: 'q', state: 'canceled' }))).toEqual({ kind: 'none' });
    expect(model.noteCancelRequested({ ...running, cancelRequested: true })).toEqual({
      kind: 'job',
      jobId: 'a',
    });
    expect(model.get('a')).toMatchObject({
      state: 'running',
      cancelRequested: true,
      progress: { done: 1, total: 4 },
    });
    expect(ids(model)[0]).toEqual(['running', ['a']]);
    model.apply({ type: 'canceled', job: { ...running, state: 'canceled', finishedAt: 5 } });
    expect(model.get('a')?.state).toBe('canceled');
    expect(model.get('a')).not.toHaveProperty('cancelRequested');
    // A reply that arrives after the final event changes nothing.
    expect(model.noteCancelRequested({ ...running, cancelRequested: true })).toEqual({ kind: 'none' });
  });

  it('puts a job whose priority changed at the tail of its new level, as the queue does', () => {
    const model = new QueueModel();
    model.reset([snapshot({ id: 'a', priority: 'high' }), snapshot({ id: 'b', priority: 'low' })]);
    model.apply({ type: 'priority-changed', job: snapshot({ id: 'b', priority: 'high' }), from: 'low' });
    expect(ids(model)).toEqual([['queued-high', ['a', 'b']]]);
  });

  it('keeps at most finishedLimit finished jobs and can clear them', () => {
    const model = new QueueModel({ finishedLimit: 2 });
    for (let index = 1; index <= 4; index += 1) {
      model.apply({
        type: 'removed',
        job: snapshot({ id: `j${index}`, state: 'removed', finishedAt: index }),
      });
    }
    model.apply({ type: 'queued', job: snapshot({ id: 'q' }) });
    expect(ids(model)).toEqual([
      ['queued-medium', ['q']],
      ['finished', ['j4', 'j3']],
    ]);
    model.clearFinished();
    expect(ids(model)).toEqual([['queued-medium', ['q']]]);
  });

  it('rejects a bad finishedLimit with INVALID_OPTION', () => {
    expect(() => new QueueModel({ finishedLimit: -1 })).toThrow(KwqmError);
    try {
      new QueueModel({ finishedLimit: 1.5 });
    } catch (error) {
      expect((error as KwqmError).code).toBe('INVALID_OPTION');
    }
  });

  it('matches a simple model of the queue for any sequence of events', () => {
    const priority = fc.constantFrom('high' as const, 'medium' as const, 'low' as const);
    const step = fc.oneof(
      fc.record({ kind: fc.constant('submit' as const), priority }),
      fc.record({ kind: fc.constant('start' as const) }),
      fc.record({ kind: fc.constant('finish' as const) }),
      fc.record({ kind: fc.constant('reprioritise' as const), index: fc.nat(), priority }),
      fc.record({ kind: fc.constant('remove' as const), index: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const model = new QueueModel({ finishedLimit: 1000 });
        // The reference: levels as FIFO arrays, the running set and the finished count.
        const levels: Record<'high' | 'medium' | 'low', JobSnapshot[]> = { high: [], medium: [], low: [] };
        const running: JobSnapshot[] = [];
        let finished = 0;
        let next = 0;
        let time = 0;
        const emit = (event: QueueEvent) => model.apply(event);
        const allQueued = () => [...levels.high, ...levels.medium, ...levels.low];
        for (const action of steps) {
          time += 1;
          if (action.kind === 'submit') {
            const job = snapshot({ id: `j${next++}`, priority: action.priority, createdAt: time });
            levels[action.priority].push(job);
            emit({ type: 'queued', job });
          } else if (action.kind === 'start') {
            const level = (['high', 'medium', 'low'] as const).find((name) => levels[name].length > 0);
            if (level === undefined) continue;
            const job = {
              ...(levels[level].shift() as JobSnapshot),
              state: 'running' as const,
              startedAt: time,
            };
            running.push(job);
            emit({ type: 'started', job });
          } else if (action.kind === 'finish') {
            const job = running.shift();
            if (job === undefined) continue;
            finished += 1;
            emit({ type: 'succeeded', job: { ...job, state: 'succeeded', finishedAt: time } });
          } else {
            const queued = allQueued();
            if (queued.length === 0) continue;
            const job = queued[action.index % queued.length] as JobSnapshot;
            // A change to the same level is a no-op in the queue; only real moves are generated.
            if (action.kind === 'reprioritise' && action.priority === job.priority) continue;
            levels[job.priority].splice(levels[job.priority].indexOf(job), 1);
            if (action.kind === 'remove') {
              finished += 1;
              emit({ type: 'removed', job: { ...job, state: 'removed', finishedAt: time } });
            } else {
              const moved = { ...job, priority: action.priority };
              levels[action.priority].push(moved);
              emit({ type: 'priority-changed', job: moved, from: job.priority });
            }
          }
        }
        const groups = Object.fromEntries(
          model.groups().map((group) => [group.id, group.jobs.map((job) => job.id)]),
        );
        expect(groups['queued-high'] ?? []).toEqual(levels.high.map((job) => job.id));
        expect(groups['queued-medium'] ?? []).toEqual(levels.medium.map((job) => job.id));
        expect(groups['queued-low'] ?? []).toEqual(levels.low.map((job) => job.id));
        expect(groups.running ?? []).toEqual(running.map((job) => job.id));
        expect((groups.finished ?? []).length).toBe(finished);
        expect(model.counts()).toEqual({ running: running.length, queued: allQueued().length });
      }),
    );
  });
});
