import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('the published tarball', () => {
  it('holds the licence, the readme and the builds, and no sources or tests', () => {
    const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    const files = (JSON.parse(output) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map(
      (file) => file.path,
    );
    // The MIT licence asks for its notice in every copy; npm takes LICENSE from the package folder only.
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/index.js',
        'dist/index.cjs',
        'dist/index.d.ts',
        'dist/index.d.cts',
      ]),
    );
    expect(files?.filter((path) => /(^src\/|^test\/|\.test\.)/.test(path))).toEqual([]);
  }, 60_000);
});
