import { describe, expect, it } from 'vitest';
import {
  folderOf,
  formatBytes,
  formatProgress,
  JOB_CONTEXT_VALUES,
  jobContextValue,
  jobDescription,
  jobIconId,
  jobLabel,
  jobTooltip,
} from './job-presentation.js';
import { snapshot } from './test-jobs.js';

describe('job presentation', () => {
  it('maps each state to the contextValue its menu actions are keyed on', () => {
    expect(jobContextValue('queued')).toBe('kwqm.job.queued');
    expect(jobContextValue('running')).toBe('kwqm.job.running');
    expect(jobContextValue('succeeded')).toBe('kwqm.job.succeeded');
    expect(jobContextValue('failed')).toBe('kwqm.job.failed');
    expect(jobContextValue('canceled')).toBe(JOB_CONTEXT_VALUES.stopped);
    expect(jobContextValue('removed')).toBe(JOB_CONTEXT_VALUES.stopped);
  });

  it('labels a row by its label, else the input file name, else operation and id', () => {
    expect(jobLabel(snapshot({ id: 'a', label: 'Report' }))).toBe('Report');
    expect(jobLabel(snapshot({ id: 'a', params: { input: '/w/dir/report.pdf' } }))).toBe('report.pdf');
    expect(jobLabel(snapshot({ id: '7', operation: 'custom', params: {} }))).toBe('custom 7');
  });

  it('describes progress, priority and outcome by state', () => {
    expect(jobDescription(snapshot({ id: 'a', state: 'running' }))).toBe('encrypt · starting');
    expect(jobDescription(snapshot({ id: 'a', state: 'running', progress: { done: 1, total: 3 } }))).toBe(
      'encrypt · 33%',
    );
    expect(jobDescription(snapshot({ id: 'a', operation: 'hash', priority: 'low' }))).toBe('hash · low');
    expect(
      jobDescription(
        snapshot({
          id: 'a',
          operation: 'decrypt',
          state: 'failed',
          error: { name: 'KwqmError', code: 'AGE_WRONG_PASSPHRASE', message: 'm' },
        }),
      ),
    ).toBe('decrypt · failed: AGE_WRONG_PASSPHRASE');
    expect(jobDescription(snapshot({ id: 'a', state: 'removed' }))).toBe('encrypt · removed');
  });

  it('shows a running job asked to stop as canceling until it has stopped', () => {
    const canceling = snapshot({
      id: 'a',
      state: 'running',
      cancelRequested: true,
      progress: { done: 1, total: 3 },
    });
    expect(jobDescription(canceling)).toBe('encrypt · canceling…');
    expect(jobTooltip(canceling)).toContain('— canceling');
    expect(jobContextValue(canceling.state)).toBe(JOB_CONTEXT_VALUES.running);
  });

  it('formats progress with and without a total', () => {
    expect(formatProgress(undefined)).toBeUndefined();
    expect(formatProgress({ done: 10, total: 10 })).toBe('100%');
    expect(formatProgress({ done: 20, total: 10 })).toBe('100%');
    expect(formatProgress({ done: 1536 * 1024, unit: 'bytes' })).toBe('1.5 MiB');
    expect(formatProgress({ done: 3, unit: 'files' })).toBe('3 files');
    expect(formatBytes(512)).toBe('512 B');
  });

  it('shows input, output and error in the tooltip, and a spinning icon while running', () => {
    const tooltip = jobTooltip(
      snapshot({ id: 'a', state: 'succeeded', result: { output: '/w/a.txt.age', bytesIn: 1, bytesOut: 2 } }),
    );
    expect(tooltip).toContain('Input: /w/a.txt');
    expect(tooltip).toContain('Output: /w/a.txt.age');
    expect(jobIconId('running')).toBe('loading~spin');
    expect(jobIconId('failed')).toBe('error');
  });
});

describe('folderOf', () => {
  it('gives the folder of a path, with either separator, and the root for a file at the root', () => {
    expect(folderOf('/tmp/out/a.txt.gz')).toBe('/tmp/out');
    expect(folderOf('C:\\data\\a.txt')).toBe('C:\\data');
    expect(folderOf('/a.txt')).toBe('/');
  });
});
