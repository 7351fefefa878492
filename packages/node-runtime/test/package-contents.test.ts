import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tarballProblems } from '../../../scripts/test-support/packed-files.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// The MIT licence asks for its notice in every copy; npm takes LICENSE from the package folder only.
it('the published tarball holds the licence, the readme and the builds, and no sources or tests', () => {
  const builds = [
    'dist/index.js',
    'dist/index.cjs',
    'dist/index.d.ts',
    'dist/index.d.cts',
    'dist/worker.js',
    'dist/worker.cjs',
    'dist/daemon.js',
    'dist/daemon.cjs',
  ];
  expect(tarballProblems(packageDir, ['LICENSE', 'README.md', 'package.json', ...builds])).toEqual({
    missing: [],
    sourcesOrTests: [],
  });
}, 60_000);
