import type { JobSnapshot } from '@kwqm/core';
import { describe, expect, it } from 'vitest';
import { createColors } from './colors.js';
import { formatEvent } from './format-event.js';

const job: JobSnapshot = {
  id: 'k3x9q2-7',
  operation: 'encrypt',
  params: { input: '/data/a.txt' },
  priority: 'high',
  state: 'failed',
  createdAt: 0,
  label: '/data/a.txt',
  error: { name: 'KwqmError', code: 'ENOENT', message: 'gone' },
};
const at = new Date('2026-11-27T16:05:09.123Z');
const plain = createColors(false);

describe('formatEvent', () => {
  it('writes one line with time, event, id, operation, priority, file and the failure code', () => {
    expect(formatEvent({ type: 'failed', job }, at, plain)).toBe(
      '16:05:09 failed           k3x9q2-7 encrypt high /data/a.txt (ENOENT)',
    );
  });

  it('shows where a priority change came from', () => {
    const moved = { ...job, state: 'queued' as const, error: undefined };
    expect(formatEvent({ type: 'priority-changed', job: moved, from: 'low' }, at, plain)).toMatch(
      / \(low -> high\)$/,
    );
  });

  it('leaves progress events to --json', () => {
    expect(
      formatEvent({ type: 'progress', jobId: job.id, progress: { done: 1, total: 2 } }, at, plain),
    ).toBeUndefined();
  });

  it('keeps the columns aligned when the event name is coloured', () => {
    const coloured = formatEvent({ type: 'failed', job }, at, createColors(true)) as string;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ESC sequences.
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatEvent({ type: 'failed', job }, at, plain));
  });
});
