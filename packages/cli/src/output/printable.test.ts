import { describe, expect, it } from 'vitest';
import { printable } from './printable.js';

describe('printable', () => {
  it('leaves ordinary names, spaces and non-ASCII letters alone', () => {
    expect(printable('my notes ünï ☃.txt')).toBe('my notes ünï ☃.txt');
  });

  it('shows line breaks, tabs, escapes, DEL and C1 controls as escapes', () => {
    expect(printable('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(printable('\u001b[31mred\u007f\u009b')).toBe('\\x1b[31mred\\x7f\\x9b');
  });
});
