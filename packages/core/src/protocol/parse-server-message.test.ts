import { describe, expect, it } from 'vitest';
import type { JobSnapshot } from '../job.js';
import { KwqmError } from '../kwqm-error.js';
import { parseServerMessage } from './parse-server-message.js';

const job: JobSnapshot = {
  id: 'j1',
  operation: 'hash',
  params: { input: '/f' },
  priority: 'medium',
  state: 'queued',
  createdAt: 1,
};

function codeOf(value: unknown): string {
  try {
    parseServerMessage(value);
  } catch (error) {
    expect(error).toBeInstanceOf(KwqmError);
    return (error as KwqmError).code;
  }
  return 'no error';
}

describe('parseServerMessage', () => {
  it('reads a success response and keeps its result', () => {
    expect(parseServerMessage({ id: 3, ok: true, result: { job } })).toEqual({
      id: 3,
      ok: true,
      result: { job },
    });
  });

  it('reads an error response, also one without a request id', () => {
    const error = new KwqmError('QUEUE_FULL', 'full').toJSON();
    expect(parseServerMessage({ id: 4, ok: false, error })).toEqual({ id: 4, ok: false, error });
    expect(parseServerMessage({ id: null, ok: false, error })).toEqual({ id: null, ok: false, error });
  });

  it('reads every event type', () => {
    for (const type of ['queued', 'started', 'succeeded', 'failed', 'canceled', 'removed']) {
      expect(parseServerMessage({ event: { type, job } })).toEqual({ event: { type, job } });
    }
    expect(parseServerMessage({ event: { type: 'priority-changed', job, from: 'low' } })).toEqual({
      event: { type: 'priority-changed', job, from: 'low' },
    });
    expect(
      parseServerMessage({ event: { type: 'progress', jobId: 'j1', progress: { done: 5, total: 9 } } }),
    ).toEqual({
      event: { type: 'progress', jobId: 'j1', progress: { done: 5, total: 9 } },
    });
  });

  it.each([
    null,
    'x',
    [],
    {},
    { id: 1 },
    { id: 1, ok: 'yes' },
    { id: -1, ok: true },
    { id: 'a', ok: false, error: { code: 'QUEUE_FULL', message: 'm' } },
    { id: 1, ok: false },
    { id: 1, ok: false, error: { code: 'NOT_A_CODE', message: 'm' } },
    { id: 1, ok: false, error: { code: 'QUEUE_FULL' } },
    { id: 1, ok: false, error: { code: 'QUEUE_FULL', message: 'm', errno: 28 } },
    { id: 1, ok: false, error: { code: 'QUEUE_FULL', message: 'm', details: 'x' } },
    { event: null },
    { event: { type: 'exploded', job } },
    { event: { type: 'queued' } },
    { event: { type: 'queued', job: { ...job, id: 7 } } },
    { event: { type: 'queued', job: { ...job, state: 'sleeping' } } },
    { event: { type: 'queued', job: { ...job, priority: 'urgent' } } },
    { event: { type: 'queued', job: { ...job, createdAt: 'now' } } },
    { event: { type: 'failed', job: { ...job, error: { code: 'nope', message: '' } } } },
    { event: { type: 'priority-changed', job } },
    { event: { type: 'progress', jobId: 'j1' } },
    { event: { type: 'progress', jobId: 'j1', progress: { done: '5' } } },
    { event: { type: 'progress', progress: { done: 5 } } },
  ])('rejects %j with PROTOCOL_ERROR', (message) => {
    expect(codeOf(message)).toBe('PROTOCOL_ERROR');
  });
});
