import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packedFiles, sourcesAndTests } from '../../../scripts/test-support/packed-files.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('the published tarball', () => {
  it('holds the licence, the readme, the bin script and the build, and no sources or tests', () => {
    const files = packedFiles(packageDir);
    // The MIT licence asks for its notice in every copy; npm takes LICENSE from the package folder only.
    expect(files).toEqual(
      expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/kwqm.js', 'dist/cli.js']),
    );
    expect(sourcesAndTests(files)).toEqual([]);
  }, 60_000);
});
