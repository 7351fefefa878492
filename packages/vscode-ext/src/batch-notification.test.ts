import type { JobSnapshot, KwqmErrorCode } from '@kwqm/core';
import { describe, expect, it } from 'vitest';
import {
  batchNotification,
  hashListText,
  identityFailures,
  passphraseFailures,
} from './batch-notification.js';
import type { BatchEntry } from './job-batch.js';
import { FAILURE_REASONS } from './notification-text.js';
import { snapshot } from './test-jobs.js';

const succeeded = (
  name: string,
  result: JobSnapshot['result'] = { output: `/w/${name}.out` },
): BatchEntry => ({
  kind: 'job',
  input: `/w/${name}`,
  job: snapshot({ id: name, state: 'succeeded', params: { input: `/w/${name}` }, result }),
});
const failed = (name: string, code: KwqmErrorCode, operation = 'decrypt'): BatchEntry => ({
  kind: 'job',
  input: `/w/${name}`,
  job: snapshot({
    id: name,
    operation,
    state: 'failed',
    params: { input: `/w/${name}` },
    error: { name: 'KwqmError', code, message: `${code} message` },
  }),
});
const stopped = (name: string, state: 'canceled' | 'removed'): BatchEntry => ({
  kind: 'job',
  input: `/w/${name}`,
  job: snapshot({ id: name, state, params: { input: `/w/${name}` } }),
});
const files = (count: number, make: (name: string) => BatchEntry) =>
  Array.from({ length: count }, (_, index) => make(`f${index + 1}.txt`));

describe('batchNotification', () => {
  it('sums up a batch that went well in one line with Show Log', () => {
    expect(
      batchNotification(
        'encrypt',
        files(35, (name) => succeeded(name)),
      ),
    ).toEqual({
      severity: 'information',
      message: 'Encrypted 35 files',
      actions: ['Show Log'],
    });
  });

  it('counts the failures, groups them by reason and names their files; Show Queue finds their rows', () => {
    const entries = [
      ...files(33, (name) => succeeded(name)),
      failed('a.age', 'AGE_WRONG_PASSPHRASE'),
      failed('b.age', 'AGE_WRONG_PASSPHRASE'),
    ];
    const notification = batchNotification('decrypt', entries);
    expect(notification?.severity).toBe('error');
    expect(notification?.message).toMatch(/^Decrypted 33 of 35 files; 2 failed: /);
    expect(notification?.message).toContain('(AGE_WRONG_PASSPHRASE): a.age, b.age');
    expect(notification?.actions).toEqual(['Try Again', 'Show Queue', 'Show Log']);
    const encrypts = [succeeded('a.txt'), failed('b.txt', 'EEXIST', 'encrypt')];
    expect(batchNotification('encrypt', encrypts)?.actions).toEqual(['Show Queue', 'Show Log']);
  });

  it('offers Try Again for the files a wrong passphrase failed, and Import Identity File… beside it', () => {
    const entries = [
      succeeded('a.age'),
      failed('b.age', 'AGE_WRONG_PASSPHRASE'),
      failed('c.age', 'AGE_NO_MATCHING_IDENTITY'),
      failed('d.age', 'AGE_WRONG_PASSPHRASE'),
      failed('e.age', 'ENOENT'),
    ];
    expect(batchNotification('decrypt', entries)?.actions).toEqual([
      'Try Again',
      'Import Identity File…',
      'Show Queue',
      'Show Log',
    ]);
    // Try Again reruns only those files, in selection order; an import only the others.
    expect(passphraseFailures(entries)).toEqual(['/w/b.age', '/w/d.age']);
    expect(identityFailures(entries)).toEqual(['/w/c.age']);
  });

  it('words each reason so that it reads right before the names of several files', () => {
    const codes = Object.keys(FAILURE_REASONS) as KwqmErrorCode[];
    const entries = codes.flatMap((code) => [failed(`${code}-1`, code), failed(`${code}-2`, code)]);
    const message = batchNotification('decrypt', entries)?.message ?? '';
    // Three reasons spelled out, each `<reason> (<code>): <file>, <file>`, none with a singular
    // pronoun, article or verb (`it`, `an`, `is`).
    const groups = message
      .replace(/^Could not decrypt \d+ files: /, '')
      .split('; ')
      .slice(0, 3);
    expect(groups).toHaveLength(3);
    for (const group of groups) {
      const match = /^(.+) \(([A-Z_]+)\): (\S+)-1, \2-2$/.exec(group);
      expect(match, group).not.toBeNull();
      expect(match?.[1]).toBe(FAILURE_REASONS[match?.[2] as KwqmErrorCode]);
    }
    for (const reason of Object.values(FAILURE_REASONS))
      expect(reason).not.toMatch(
        /\b(it|its|they|them|their|this|these|a|an|is|are|was|were|has|have|exists|can)\b/i,
      );
  });

  it('names three files per reason and counts the rest; says when none succeeded', () => {
    const entries = [...files(5, (name) => failed(name, 'AGE_WRONG_PASSPHRASE')), failed('x.age', 'ENOENT')];
    const message = batchNotification('decrypt', entries)?.message ?? '';
    expect(message).toMatch(/^Could not decrypt 6 files: /);
    expect(message).toContain('(AGE_WRONG_PASSPHRASE): f1.txt, f2.txt, f3.txt and 2 more');
    expect(message).toContain('(ENOENT): x.age');
  });

  it('spells out three reasons and counts the files of the others', () => {
    const codes: KwqmErrorCode[] = ['ENOENT', 'EACCES', 'EEXIST', 'EISDIR', 'ENOSPC'];
    const entries = [
      succeeded('ok.txt'),
      ...codes.map((code, index) => failed(`${index}.txt`, code, 'encrypt')),
    ];
    const message = batchNotification('encrypt', entries)?.message ?? '';
    expect(message).toMatch(/^Encrypted 1 of 6 files; 5 failed: /);
    expect(message).toContain('(EEXIST): 2.txt');
    expect(message).not.toContain('EISDIR');
    expect(message).toMatch(/; 2 more for other reasons$/);
  });

  it('counts files that could not be queued as failed', () => {
    const entries: BatchEntry[] = [
      succeeded('a.txt'),
      {
        kind: 'not-queued',
        input: '/w/b.txt',
        error: { name: 'KwqmError', code: 'QUEUE_FULL', message: 'full' },
      },
    ];
    expect(batchNotification('compress', entries)?.message).toBe(
      `Compressed 1 of 2 files; 1 failed: ${FAILURE_REASONS.QUEUE_FULL} (QUEUE_FULL): b.txt`,
    );
  });

  it('says how many were canceled or removed, and stays quiet when the user stopped them all', () => {
    expect(
      batchNotification('encrypt', [succeeded('a'), stopped('b', 'canceled'), stopped('c', 'removed')])
        ?.message,
    ).toBe('Encrypted 1 of 3 files; 1 canceled; 1 removed');
    expect(batchNotification('encrypt', [stopped('a', 'canceled'), stopped('b', 'removed')])).toBeUndefined();
  });

  it('offers Import Identity File… when a decrypt found no stored identity that opens a file', () => {
    const entries = [
      succeeded('a.age'),
      failed('b.age', 'AGE_NO_MATCHING_IDENTITY'),
      failed('c.age', 'ENOENT'),
    ];
    expect(batchNotification('decrypt', entries)?.actions).toEqual([
      'Import Identity File…',
      'Show Queue',
      'Show Log',
    ]);
    expect(identityFailures(entries)).toEqual(['/w/b.age']);
  });

  it('offers Copy Hashes for a hash batch; the text is what sha256sum prints', () => {
    const entries = [
      succeeded('a.bin', { algorithm: 'sha256', digest: 'aa11' }),
      failed('b.bin', 'ENOENT', 'hash'),
      succeeded('c.bin', { algorithm: 'sha256', digest: 'cc33' }),
    ];
    expect(batchNotification('hash', entries)?.actions).toEqual(['Copy Hashes', 'Show Queue', 'Show Log']);
    expect(batchNotification('hash', [entries[0] as BatchEntry, entries[2] as BatchEntry])?.actions).toEqual([
      'Copy Hashes',
      'Show Log',
    ]);
    expect(hashListText(entries, (path) => path.replace('/w/', 'dir/'))).toBe(
      'aa11  dir/a.bin\ncc33  dir/c.bin\n',
    );
  });
});
