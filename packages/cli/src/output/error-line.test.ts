import { KwqmError } from '@kwqm/core';
import { describe, expect, it } from 'vitest';
import { createColors } from './colors.js';
import { formatErrorLine } from './error-line.js';

const plain = createColors(false);

describe('formatErrorLine', () => {
  it('names the subject, the reason and the code on one line', () => {
    const error = new KwqmError('ENOENT', 'gone\nreally gone');
    expect(formatErrorLine(error, { subject: 'a.txt', colors: plain })).toBe(
      'kwqm: a.txt: gone really gone (ENOENT)',
    );
    expect(formatErrorLine(error, { colors: plain })).toBe('kwqm: gone really gone (ENOENT)');
  });

  it('keeps a subject with a line break or an escape sequence on the one line', () => {
    const error = new KwqmError('ENOENT', 'gone');
    expect(formatErrorLine(error, { subject: 'new\nline\u001b[2J', colors: plain })).toBe(
      'kwqm: new\\nline\\x1b[2J: gone (ENOENT)',
    );
  });

  it('tells a CLI user about --force for an existing output', () => {
    const error = new KwqmError('EEXIST', 'set `overwrite` to replace it', { details: { path: '/x/a.age' } });
    expect(formatErrorLine(error, { subject: 'a', colors: plain })).toBe(
      'kwqm: a: /x/a.age already exists (use --force to replace it) (EEXIST)',
    );
  });

  it('tells a CLI user about --max-work-factor for a costly scrypt file', () => {
    const error = (workFactor: number) =>
      new KwqmError('AGE_WORK_FACTOR_TOO_HIGH', 'raise `maxWorkFactor` to accept it', {
        details: { workFactor, maxWorkFactor: 22 },
      });
    expect(formatErrorLine(error(24), { subject: 'a.age', colors: plain })).toBe(
      "kwqm: a.age: The file's scrypt work factor 24 exceeds the limit 22 (use --max-work-factor 24 to accept it) (AGE_WORK_FACTOR_TOO_HIGH)",
    );
    expect(formatErrorLine(error(40), { colors: plain })).not.toContain('maxWorkFactor');
  });

  it('adds the stack and the causes only with debug', () => {
    const error = new KwqmError('IO_ERROR', 'write failed', { cause: new Error('disk on fire') });
    expect(formatErrorLine(error, { colors: plain }).split('\n')).toHaveLength(1);
    const debug = formatErrorLine(error, { colors: plain, debug: true });
    expect(debug).toMatch(/^kwqm: write failed \(IO_ERROR\)\nKwqmError: write failed\n\s+at /);
    expect(debug).toContain('Caused by:\nError: disk on fire');
  });

  it('colours only the prefix and the code when colour is on', () => {
    const line = formatErrorLine(new KwqmError('ENOENT', 'gone'), { colors: createColors(true) });
    expect(line).toBe('\u001b[31mkwqm:\u001b[39m gone \u001b[2m(ENOENT)\u001b[22m');
  });
});
