import { describe, expect, it } from 'vitest';
import { KwqmError } from '../kwqm-error.js';
import { parseRequest } from './parse-request.js';

function errorOf(value: unknown): KwqmError {
  try {
    parseRequest(value);
  } catch (error) {
    expect(error).toBeInstanceOf(KwqmError);
    return error as KwqmError;
  }
  throw new Error('expected parseRequest to throw');
}

describe('parseRequest', () => {
  it('reads every request type', () => {
    expect(parseRequest({ id: 1, type: 'hello', protocolVersion: 1, client: 'cli' })).toEqual({
      id: 1,
      type: 'hello',
      protocolVersion: 1,
      client: 'cli',
    });
    expect(
      parseRequest({
        id: 2,
        type: 'submit',
        spec: {
          operation: 'hash',
          params: { input: '/f' },
          secrets: { passphrase: 'p' },
          priority: 'high',
          label: 'f',
        },
      }),
    ).toEqual({
      id: 2,
      type: 'submit',
      spec: {
        operation: 'hash',
        params: { input: '/f' },
        secrets: { passphrase: 'p' },
        priority: 'high',
        label: 'f',
      },
    });
    expect(parseRequest({ id: 3, type: 'abort-submit', submitId: 2 })).toEqual({
      id: 3,
      type: 'abort-submit',
      submitId: 2,
    });
    for (const type of ['remove', 'cancel', 'get'] as const) {
      expect(parseRequest({ id: 4, type, jobId: 'j1' })).toEqual({ id: 4, type, jobId: 'j1' });
    }
    expect(parseRequest({ id: 5, type: 'set-priority', jobId: 'j1', priority: 'low' })).toEqual({
      id: 5,
      type: 'set-priority',
      jobId: 'j1',
      priority: 'low',
    });
    expect(parseRequest({ id: 6, type: 'list' })).toEqual({ id: 6, type: 'list', includeFinished: false });
    expect(parseRequest({ id: 6, type: 'list', includeFinished: true })).toEqual({
      id: 6,
      type: 'list',
      includeFinished: true,
    });
    expect(parseRequest({ id: 7, type: 'subscribe', all: true })).toEqual({
      id: 7,
      type: 'subscribe',
      jobIds: [],
      all: true,
    });
    expect(parseRequest({ id: 8, type: 'unsubscribe', jobIds: ['a', 'b'] })).toEqual({
      id: 8,
      type: 'unsubscribe',
      jobIds: ['a', 'b'],
      all: false,
    });
    expect(parseRequest({ id: 9, type: 'shutdown', cancelRunning: true })).toEqual({
      id: 9,
      type: 'shutdown',
      cancelRunning: true,
    });
  });

  it('ignores unknown extra fields and does not copy them', () => {
    expect(parseRequest({ id: 1, type: 'get', jobId: 'x', extra: 1 })).toEqual({
      id: 1,
      type: 'get',
      jobId: 'x',
    });
  });

  it('rejects values that are not request objects with PROTOCOL_ERROR and no request id', () => {
    for (const garbage of [null, undefined, 42, 'hello', [], [1, 2], true]) {
      const error = errorOf(garbage);
      expect(error.code).toBe('PROTOCOL_ERROR');
      expect(error.errno).toBe('EPROTO');
      expect(error.details).toBeUndefined();
    }
  });

  it('rejects a missing or bad id', () => {
    for (const id of [undefined, -1, 1.5, '1', null, Number.MAX_SAFE_INTEGER + 2]) {
      expect(errorOf({ id, type: 'list' }).code).toBe('PROTOCOL_ERROR');
    }
  });

  it('rejects an unknown type, carrying the request id', () => {
    for (const type of ['frobnicate', undefined, 3, '']) {
      const error = errorOf({ id: 12, type });
      expect(error.code).toBe('PROTOCOL_ERROR');
      expect(error.details).toEqual({ requestId: 12 });
    }
  });

  it.each([
    { id: 1, type: 'hello', client: 'x' },
    { id: 1, type: 'hello', protocolVersion: '1', client: 'x' },
    { id: 1, type: 'hello', protocolVersion: 1 },
    { id: 1, type: 'submit' },
    { id: 1, type: 'submit', spec: [] },
    { id: 1, type: 'submit', spec: { params: {} } },
    { id: 1, type: 'submit', spec: { operation: '', params: {} } },
    { id: 1, type: 'submit', spec: { operation: 'hash' } },
    { id: 1, type: 'submit', spec: { operation: 'hash', params: {}, secrets: 'pw' } },
    { id: 1, type: 'submit', spec: { operation: 'hash', params: {}, priority: 'urgent' } },
    { id: 1, type: 'submit', spec: { operation: 'hash', params: {}, label: 7 } },
    { id: 1, type: 'submit', spec: { operation: 'x'.repeat(300), params: {} } },
    { id: 1, type: 'abort-submit' },
    { id: 1, type: 'abort-submit', submitId: -3 },
    { id: 1, type: 'remove' },
    { id: 1, type: 'remove', jobId: 5 },
    { id: 1, type: 'get', jobId: '' },
    { id: 1, type: 'set-priority', jobId: 'a' },
    { id: 1, type: 'set-priority', jobId: 'a', priority: 'HIGH' },
    { id: 1, type: 'list', includeFinished: 'yes' },
    { id: 1, type: 'subscribe' },
    { id: 1, type: 'subscribe', jobIds: [] },
    { id: 1, type: 'subscribe', jobIds: 'a' },
    { id: 1, type: 'subscribe', jobIds: ['a', 2] },
    { id: 1, type: 'subscribe', all: 1 },
    { id: 1, type: 'shutdown', cancelRunning: 'no' },
  ])('rejects malformed %j with the request id', (request) => {
    const error = errorOf(request);
    expect(error.code).toBe('PROTOCOL_ERROR');
    expect(error.details).toEqual({ requestId: 1 });
  });

  it('never echoes a secret in the error message', () => {
    const error = errorOf({
      id: 1,
      type: 'submit',
      spec: { operation: 'encrypt', params: {}, secrets: 'hunter2' },
    });
    expect(error.message.includes('hunter2')).toBe(false);
  });
});
