import { describe, expect, it } from 'vitest';
import { createColors, supportsColor } from './colors.js';

describe('supportsColor', () => {
  it('colours a terminal and nothing else', () => {
    expect(supportsColor({ isTTY: true, env: {} })).toBe(true);
    expect(supportsColor({ isTTY: false, env: {} })).toBe(false);
    expect(supportsColor({ isTTY: undefined, env: {} })).toBe(false);
  });

  it('honours NO_COLOR when set to anything non-empty, even over FORCE_COLOR', () => {
    expect(supportsColor({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(supportsColor({ isTTY: true, env: { NO_COLOR: '1', FORCE_COLOR: '1' } })).toBe(false);
    expect(supportsColor({ isTTY: true, env: { NO_COLOR: '' } })).toBe(true);
  });

  it('turns colour off for TERM=dumb and on for FORCE_COLOR', () => {
    expect(supportsColor({ isTTY: true, env: { TERM: 'dumb' } })).toBe(false);
    expect(supportsColor({ isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(supportsColor({ isTTY: false, env: { FORCE_COLOR: '0' } })).toBe(false);
  });
});

describe('createColors', () => {
  it('wraps text in SGR escapes only when enabled', () => {
    expect(createColors(true).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(createColors(false).red('x')).toBe('x');
  });
});
