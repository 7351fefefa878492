import type { JobSnapshot } from '@kwqm/core';
import { describe, expect, it } from 'vitest';
import { createColors } from './colors.js';
import { formatBytes } from './format-bytes.js';
import { formatDuration } from './format-duration.js';
import { formatJobDetails, formatJobTable, jobProgress } from './job-view.js';

const plain = createColors(false);
const job = (overrides: Partial<JobSnapshot>): JobSnapshot => ({
  id: 'q1-1',
  operation: 'encrypt',
  params: { input: '/data/a.txt' },
  priority: 'medium',
  state: 'queued',
  createdAt: 0,
  ...overrides,
});

describe('job views', () => {
  it('lays out the list table in aligned columns, one row per job', () => {
    const table = formatJobTable(
      [
        job({ id: 'q1-1', state: 'running', progress: { done: 50, total: 200 }, label: '/data/big.iso' }),
        job({ id: 'q1-22', priority: 'low', operation: 'hash' }),
      ],
      65_000,
      plain,
    );
    expect(table.split('\n')).toEqual([
      'ID     STATE    PRIORITY  OPERATION  PROGRESS  AGE  FILE',
      'q1-1   running  medium    encrypt    25%       1m   /data/big.iso',
      'q1-22  queued   low       hash       -         1m   /data/a.txt',
    ]);
  });

  it('keeps a file name with a line break or an escape sequence on its row', () => {
    const table = formatJobTable([job({ label: '/data/new\nline\u001b[2J.txt' })], 0, plain);
    expect(table.split('\n')).toHaveLength(2);
    expect(table).toMatch(/\/data\/new\\nline\\x1b\[2J\.txt$/);
    expect(formatJobDetails(job({ label: '/data/a\rb' }), 0, plain)).toMatch(/file:\s+\/data\/a\\rb\n/);
  });

  it('shows a running job asked to stop as canceling until it has stopped', () => {
    const canceling = job({ state: 'running', cancelRequested: true });
    expect(formatJobTable([canceling], 0, plain).split('\n')[1]).toMatch(/^q1-1\s+canceling\s+medium/);
    expect(formatJobDetails(canceling, 0, plain)).toMatch(/state:\s+canceling/);
  });

  it('pads by visible width when cells are coloured', () => {
    const table = formatJobTable([job({ state: 'failed' })], 0, createColors(true));
    const [header, row] = table.split('\n') as [string, string];
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ESC sequences.
    const visible = row.replace(/\u001b\[[0-9;]*m/g, '');
    expect(visible.indexOf('medium')).toBe(header.indexOf('PRIORITY'));
  });

  it('shows progress only where it means something', () => {
    expect(jobProgress(job({ state: 'succeeded' }))).toBe('100%');
    expect(jobProgress(job({ state: 'queued' }))).toBe('-');
    expect(jobProgress(job({ state: 'running', progress: { done: 3 } }))).toBe('3');
  });

  it('names the error code of a failed job in its details', () => {
    const details = formatJobDetails(
      job({ state: 'failed', error: { name: 'KwqmError', code: 'ENOENT', message: 'No such file' } }),
      0,
      plain,
    );
    expect(details).toContain('error:     No such file (ENOENT)');
    expect(details).toContain('state:     failed');
  });

  it('formats sizes and ages compactly', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(formatDuration(-5)).toBe('0s');
    expect(formatDuration(59_999)).toBe('59s');
    expect(formatDuration(3 * 3_600_000)).toBe('3h');
    expect(formatDuration(72 * 3_600_000)).toBe('3d');
  });
});
