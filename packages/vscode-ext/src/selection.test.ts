import { describe, expect, it } from 'vitest';
import { defaultOutputPath, extensionOf } from './output-path.js';
import { selectedPaths, selectionArgument, selectTargets } from './selection.js';

describe('selectedPaths', () => {
  it('acts on the whole selection when the clicked entry is part of it', () => {
    expect(selectedPaths('/w/b', ['/w/a', '/w/b', '/w/a'])).toEqual(['/w/a', '/w/b']);
  });
  it('acts on the clicked entry alone when it lies outside the selection', () => {
    expect(selectedPaths('/w/c', ['/w/a', '/w/b'])).toEqual(['/w/c']);
  });
  it('handles a palette call (no arguments) and a selection without a click', () => {
    expect(selectedPaths(undefined, undefined)).toEqual([]);
    expect(selectedPaths(undefined, ['/w/a'])).toEqual(['/w/a']);
    expect(selectedPaths('/w/a', [])).toEqual(['/w/a']);
  });
});

describe('selectionArgument', () => {
  const isPath = (entry: unknown): entry is string => typeof entry === 'string' && entry.startsWith('/');
  it('keeps the entries of a list that pass the check, in order', () => {
    expect(selectionArgument(['/w/a', 7, '/w/b', null], isPath)).toEqual(['/w/a', '/w/b']);
  });
  it('reads anything that is not a list as no selection', () => {
    for (const value of [undefined, null, { groupId: 1 }, '/w/a', 3, new Set(['/w/a'])]) {
      expect(selectionArgument(value, isPath)).toEqual([]);
    }
  });
});

describe('selectTargets', () => {
  const file = (path: string) => ({ path, isDirectory: false });
  it('skips folders for every operation, and non-.age files for decrypt', () => {
    const entries = [
      file('/w/a.txt'),
      { path: '/w/dir', isDirectory: true },
      file('/w/b.age'),
      file('/w/c.AGE'),
    ];
    expect(selectTargets('encrypt', entries).targets).toEqual(['/w/a.txt', '/w/b.age', '/w/c.AGE']);
    const decrypt = selectTargets('decrypt', entries);
    expect(decrypt.targets).toEqual(['/w/b.age', '/w/c.AGE']);
    expect(decrypt.skipped.map((entry) => entry.path)).toEqual(['/w/a.txt', '/w/dir']);
  });
  it('offers decompress only for .gz and .br files', () => {
    const entries = [file('/w/a.gz'), file('/w/b.br'), file('/w/c.zip')];
    expect(selectTargets('decompress', entries).targets).toEqual(['/w/a.gz', '/w/b.br']);
  });
});

describe('defaultOutputPath', () => {
  it('writes beside the input as the age, gzip and brotli tools do', () => {
    expect(defaultOutputPath('encrypt', '/w/a.txt')).toBe('/w/a.txt.age');
    expect(defaultOutputPath('decrypt', '/w/a.txt.age')).toBe('/w/a.txt');
    expect(defaultOutputPath('decrypt', '/w/a.txt.AGE')).toBe('/w/a.txt');
    expect(defaultOutputPath('decrypt', '/w/a.bin')).toBe('/w/a.bin.decrypted');
    expect(defaultOutputPath('compress', '/w/a')).toBe('/w/a.gz');
    expect(defaultOutputPath('compress', '/w/a', { compressionFormat: 'brotli' })).toBe('/w/a.br');
    expect(defaultOutputPath('decompress', '/w/a.tar.gz')).toBe('/w/a.tar');
    expect(defaultOutputPath('decompress', '/w/a.br')).toBe('/w/a');
    expect(defaultOutputPath('hash', '/w/a')).toBeUndefined();
  });
  it('never names the input as the output', () => {
    for (const operation of ['encrypt', 'decrypt', 'compress', 'decompress'] as const) {
      for (const input of ['/w/x', '/w/x.age', '/w/x.gz', '/w/.age', '/w/.gz']) {
        expect(defaultOutputPath(operation, input)).not.toBe(input);
      }
    }
  });
  it('does not take a hidden file name for an extension', () => {
    expect(extensionOf('/w/.age')).toBe('');
    expect(extensionOf('C:\\w\\file.Age')).toBe('.age');
  });
});
