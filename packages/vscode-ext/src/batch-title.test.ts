import { describe, expect, it } from 'vitest';
import { batchTitle } from './batch-title.js';

describe('batchTitle', () => {
  it('names the one file a prompt is for', () => {
    expect(batchTitle('encrypt', ['/w/report.pdf'])).toBe('KWQM: Encrypt report.pdf');
    expect(batchTitle('decrypt', ['C:\\w\\report.pdf.age'])).toBe('KWQM: Decrypt report.pdf.age');
  });

  it('counts a batch and names its first files', () => {
    expect(batchTitle('encrypt', ['/w/a.txt', '/w/b.txt'])).toBe('KWQM: Encrypt 2 files: a.txt, b.txt');
    expect(batchTitle('encrypt', ['/w/a', '/w/b', '/w/c'])).toBe('KWQM: Encrypt 3 files: a, b, c');
    expect(batchTitle('decrypt', ['/w/a', '/w/b', '/w/c', '/w/d', '/w/e'])).toBe(
      'KWQM: Decrypt 5 files: a, b, c and 2 more',
    );
  });

  it('falls back to the verb alone without targets', () => {
    expect(batchTitle('encrypt', [])).toBe('KWQM: Encrypt');
  });
});
