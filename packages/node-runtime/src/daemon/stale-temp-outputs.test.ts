import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAtomicOutput } from '../files/atomic-output.js';
import { jobOutputPath } from './job-output-paths.js';
import { removeStaleTempOutputs } from './stale-temp-outputs.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kwqm-stale-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('removeStaleTempOutputs', () => {
  it('removes exactly the temp files atomic outputs of that path make, nothing else', async () => {
    const final = join(dir, 'data.bin.gz');
    // A real temp file of the output, left open as a killed writer would leave it.
    const output = await openAtomicOutput(final);
    await output.write([Buffer.from('partial')]);
    const keep = [
      'data.bin.gz',
      '.data.bin.gz.kwqm-0123456789a.tmp',
      '.data.bin.gz.kwqm-0123456789AB.tmp',
      '.data.bin.gz.kwqm-0123456789ab.tmp.bak',
      '.other.bin.gz.kwqm-0123456789ab.tmp',
      'data.bin.gz.kwqm-0123456789ab.tmp',
      '.xdata.bin.gz.kwqm-0123456789ab.tmp',
    ];
    for (const name of keep) writeFileSync(join(dir, name), 'keep');
    mkdirSync(join(dir, '.data.bin.gz.kwqm-aaaaaaaaaaaa.tmp'));

    expect(removeStaleTempOutputs(final)).toEqual([output.tempPath]);
    expect(readdirSync(dir).sort()).toEqual([...keep, '.data.bin.gz.kwqm-aaaaaaaaaaaa.tmp'].sort());
    await output.abort();
  });

  it('finds nothing in a missing folder', () => {
    expect(removeStaleTempOutputs(join(dir, 'missing', 'x.gz'))).toEqual([]);
  });
});

describe('jobOutputPath', () => {
  it.each([
    ['compress', { input: '/d/a' }, '/d/a.gz'],
    ['compress', { input: '/d/a', format: 'brotli' }, '/d/a.br'],
    ['compress', { input: '/d/a', output: '/e/b' }, '/e/b'],
    ['decompress', { input: '/d/a.br' }, '/d/a'],
    ['decompress', { input: '/d/a.x', format: 'gzip' }, undefined],
    ['decompress', { input: '/d/A.GZ' }, '/d/A'],
    ['decompress', { input: '/d/.gz' }, undefined],
    ['encrypt', { input: '/d/a' }, '/d/a.age'],
    ['decrypt', { input: '/d/a.age' }, '/d/a'],
    ['decrypt', { input: '/d/a' }, undefined],
    ['decrypt', { input: '/d/A.AGE' }, '/d/A'],
    ['decrypt', { input: '/d/.age' }, undefined],
    ['hash', { input: '/d/a' }, undefined],
    ['hash', { input: '/d/a', output: '/d/a.sha256' }, '/d/a.sha256'],
    ['custom', { output: 'rel/x' }, resolve('rel/x')],
    ['compress', null, undefined],
  ])('%s %j → %s', (operation, params, expected) => {
    expect(jobOutputPath(operation, params)).toBe(expected);
  });
});
