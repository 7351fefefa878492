import { describe, expect, it } from 'vitest';
import { progressLayout } from './progress-layout.js';

describe('progressLayout', () => {
  it('draws plain lines off a terminal and on TERM=dumb', () => {
    expect(progressLayout({ isTTY: false, columns: 80 }, {}, 8)).toBe('lines');
    expect(progressLayout({ columns: 80 }, {}, 8)).toBe('lines');
    expect(progressLayout({ isTTY: true, columns: 80 }, { TERM: 'dumb' }, 8)).toBe('lines');
  });

  it('fits the whole line, figures included, into the terminal width', () => {
    for (const columns of [50, 60, 80, 120, 300]) {
      for (const label of [1, 8, 30, 200]) {
        const layout = progressLayout({ isTTY: true, columns }, { TERM: 'xterm' }, label);
        if (layout === 'lines') throw new Error(`no bar at ${columns} columns`);
        expect(layout.labelWidth + layout.barWidth + 34).toBeLessThanOrEqual(columns);
        expect(layout.barWidth).toBeGreaterThanOrEqual(10);
        expect(layout.barWidth).toBeLessThanOrEqual(40);
        expect(layout.labelWidth).toBeGreaterThanOrEqual(Math.min(label, 4));
      }
    }
    expect(progressLayout({ isTTY: true, columns: 200 }, {}, 12)).toEqual({ labelWidth: 12, barWidth: 40 });
  });

  it('falls back to plain lines on a terminal too narrow for a bar and its figures', () => {
    expect(progressLayout({ isTTY: true, columns: 20 }, {}, 7)).toBe('lines');
    expect(progressLayout({ isTTY: true, columns: 47 }, {}, 7)).toBe('lines');
  });

  it('draws plain lines when there are more files than the terminal has rows for bars', () => {
    const terminal = { isTTY: true, columns: 100, rows: 20 };
    expect(progressLayout(terminal, {}, 7, 19)).not.toBe('lines');
    expect(progressLayout(terminal, {}, 7, 20)).toBe('lines');
    expect(progressLayout(terminal, {}, 7, 300)).toBe('lines');
    expect(progressLayout({ isTTY: true, columns: 100 }, {}, 7, 300)).not.toBe('lines');
  });

  it('assumes 80 columns when the terminal does not say', () => {
    expect(progressLayout({ isTTY: true }, {}, 10)).toEqual({ labelWidth: 10, barWidth: 36 });
  });
});
