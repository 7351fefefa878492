import type { KwqmErrorCode } from '@kwqm/core';
import { describe, expect, it } from 'vitest';
import { eventLogLine } from './event-log-line.js';
import { errorDetails, FAILURE_REASONS, failureReason, finishNotification } from './notification-text.js';
import { statusBarText } from './status-bar-text.js';
import { snapshot } from './test-jobs.js';

describe('finishNotification', () => {
  it('names the file and offers only Reveal in Explorer for a binary output (an encrypted file)', () => {
    const job = snapshot({
      id: '1',
      state: 'succeeded',
      params: { input: '/w/hello.txt' },
      result: { output: '/w/hello.txt.age', bytesIn: 5, bytesOut: 200 },
    });
    expect(finishNotification(job)).toEqual({
      severity: 'information',
      message: 'Encrypted hello.txt → hello.txt.age',
      actions: ['Reveal in Explorer'],
    });
  });

  it('offers Open as well for outputs that read as text: decrypted, decompressed, armored', () => {
    const outputs = [
      { operation: 'decrypt', params: { input: '/w/a.txt.age' }, output: '/w/a.txt' },
      { operation: 'decompress', params: { input: '/w/b.log.gz' }, output: '/w/b.log' },
      { operation: 'encrypt', params: { input: '/w/c.env', armor: true }, output: '/w/c.env.age' },
    ];
    for (const { operation, params, output } of outputs) {
      const job = snapshot({ id: '1', operation, state: 'succeeded', params, result: { output } });
      expect(finishNotification(job)?.actions).toEqual(['Reveal in Explorer', 'Open']);
    }
    const compressed = snapshot({
      id: '2',
      operation: 'compress',
      state: 'succeeded',
      params: { input: '/w/b.log' },
      result: { output: '/w/b.log.gz' },
    });
    expect(finishNotification(compressed)?.actions).toEqual(['Reveal in Explorer']);
  });

  it('offers no Reveal in Explorer for an output outside the workspace folders, and says where it is', () => {
    const compressed = snapshot({
      id: '1',
      operation: 'compress',
      state: 'succeeded',
      params: { input: '/elsewhere/b.log' },
      result: { output: '/elsewhere/b.log.gz' },
    });
    const outside = finishNotification(compressed, { outputInWorkspace: false });
    expect(outside?.actions).toEqual([]);
    expect(outside?.message).toContain('/elsewhere');
    const decrypted = snapshot({
      id: '2',
      operation: 'decrypt',
      state: 'succeeded',
      params: { input: '/elsewhere/a.txt.age' },
      result: { output: '/elsewhere/a.txt' },
    });
    expect(finishNotification(decrypted, { outputInWorkspace: false })?.actions).toEqual(['Open']);
    expect(finishNotification(decrypted)?.actions).toEqual(['Reveal in Explorer', 'Open']);
  });

  it('gives the digest of a hash with a copy action', () => {
    const job = snapshot({
      id: '1',
      operation: 'hash',
      state: 'succeeded',
      params: { input: '/w/a.bin' },
      result: { algorithm: 'sha256', digest: 'ab12', bytesIn: 1 },
    });
    expect(finishNotification(job)).toEqual({
      severity: 'information',
      message: 'SHA256 of a.bin: ab12',
      actions: ['Copy Hash'],
    });
  });

  it('gives the reason and Show Log on failure', () => {
    const job = snapshot({
      id: '1',
      operation: 'decrypt',
      state: 'failed',
      params: { input: '/w/a.txt.age' },
      error: { name: 'KwqmError', code: 'AGE_WRONG_PASSPHRASE', message: 'no' },
    });
    const notification = finishNotification(job);
    expect(notification?.severity).toBe('error');
    expect(notification?.actions).toEqual(['Try Again', 'Show Log']);
    expect(notification?.message).toContain('a.txt.age');
    expect(notification?.message).toContain('AGE_WRONG_PASSPHRASE');
  });

  it('offers Import Identity File… when no stored identity opens a file', () => {
    const job = snapshot({
      id: '1',
      operation: 'decrypt',
      state: 'failed',
      params: { input: '/w/a.txt.age' },
      error: { name: 'KwqmError', code: 'AGE_NO_MATCHING_IDENTITY', message: 'no' },
    });
    expect(finishNotification(job)?.actions).toEqual(['Import Identity File…', 'Show Log']);
  });

  it('offers Try Again on a decrypt that failed with a wrong passphrase, and only there', () => {
    const failedWith = (operation: string, code: KwqmErrorCode) =>
      snapshot({
        id: '1',
        operation,
        state: 'failed',
        params: { input: '/w/x.age' },
        error: { name: 'KwqmError', code, message: 'no' },
      });
    expect(finishNotification(failedWith('decrypt', 'AGE_WRONG_PASSPHRASE'))?.actions).toEqual([
      'Try Again',
      'Show Log',
    ]);
    expect(finishNotification(failedWith('decrypt', 'ENOENT'))?.actions).toEqual(['Show Log']);
    expect(finishNotification(failedWith('encrypt', 'AGE_WRONG_PASSPHRASE'))?.actions).toEqual(['Show Log']);
  });

  it('stays quiet for jobs the user removed or canceled', () => {
    expect(finishNotification(snapshot({ id: '1', state: 'removed' }))).toBeUndefined();
    expect(finishNotification(snapshot({ id: '1', state: 'canceled' }))).toBeUndefined();
  });

  it('names a damaged compressed input plainly, without the path the message repeats', () => {
    expect(
      failureReason({
        error: { name: 'KwqmError', code: 'CORRUPT_INPUT', message: '/w/bad.gz: incorrect header check' },
      }),
    ).toBe(`${FAILURE_REASONS.CORRUPT_INPUT} (CORRUPT_INPUT)`);
    expect(FAILURE_REASONS.CORRUPT_INPUT).not.toContain('/w/');
  });

  it('falls back to the error message for codes without a plain phrase', () => {
    expect(failureReason({ error: { name: 'KwqmError', code: 'INTERNAL', message: 'boom' } })).toBe(
      'boom (INTERNAL)',
    );
  });
});

describe('errorDetails (Show Error on a queue row)', () => {
  const row = (
    operation: string,
    code: KwqmErrorCode,
    params: Record<string, unknown> = { input: '/w/x.age' },
  ) =>
    snapshot({
      id: '1',
      operation,
      state: 'failed',
      params,
      error: { name: 'KwqmError', code, message: 'engine message' },
    });

  it("offers the notification's way out: Import Identity File… when no stored identity opens the file", () => {
    // Both the refusal with no identity given and a miss of the stored ones carry this code.
    const details = errorDetails(row('decrypt', 'AGE_NO_MATCHING_IDENTITY'));
    expect(details?.actions).toEqual(['Import Identity File…', 'Show Log']);
    expect(details?.message).toContain('(AGE_NO_MATCHING_IDENTITY)');
    expect(details?.detail).toBe('engine message');
  });

  it('offers Try Again after a wrong passphrase; other failures get Show Log alone', () => {
    expect(errorDetails(row('decrypt', 'AGE_WRONG_PASSPHRASE'))?.actions).toEqual(['Try Again', 'Show Log']);
    expect(errorDetails(row('decompress', 'CORRUPT_INPUT'))?.actions).toEqual(['Show Log']);
    // Without its input there is no file to run again.
    expect(errorDetails(row('decrypt', 'AGE_WRONG_PASSPHRASE', {}))?.actions).toEqual(['Show Log']);
    expect(errorDetails(snapshot({ id: '2', state: 'succeeded' }))).toBeUndefined();
  });
});

describe('statusBarText', () => {
  it('hides when idle and counts running and queued jobs otherwise', () => {
    expect(statusBarText({ running: 0, queued: 0 })).toBeUndefined();
    expect(statusBarText({ running: 1, queued: 2 })).toBe('$(sync~spin) KWQM 1 running · 2 queued');
    expect(statusBarText({ running: 0, queued: 2 })).toBe('$(clock) KWQM 0 running · 2 queued');
  });
});

describe('eventLogLine', () => {
  it('logs every event with id, operation, files and error code', () => {
    const job = snapshot({
      id: '9',
      state: 'failed',
      params: { input: '/w/a b.txt' },
      error: { name: 'KwqmError', code: 'EEXIST', message: 'exists' },
    });
    expect(eventLogLine({ type: 'failed', job })).toBe(
      'failed 9 encrypt priority=medium input="/w/a b.txt" error=EEXIST "exists"',
    );
    expect(eventLogLine({ type: 'progress', jobId: '9', progress: { done: 1, total: 4 } })).toBe(
      'progress 9 25%',
    );
    expect(
      eventLogLine({ type: 'priority-changed', job: snapshot({ id: '9', priority: 'high' }), from: 'low' }),
    ).toContain('from=low');
  });
});
