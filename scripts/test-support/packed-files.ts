import { execFileSync } from 'node:child_process';

/** What is wrong with a package's tarball: files it lacks, and sources or tests it should not hold. */
export interface TarballProblems {
  readonly missing: string[];
  readonly sourcesOrTests: string[];
}

/**
 * Packs the package in `packageDir` without building it (`npm pack --dry-run --ignore-scripts`)
 * and compares the tarball with what a user needs: every path of `required` present, no source or
 * test file. Empty lists mean the tarball is right.
 */
export function tarballProblems(packageDir: string, required: readonly string[]): TarballProblems {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
  const files = pack?.files.map((file) => file.path) ?? [];
  return {
    missing: required.filter((path) => !files.includes(path)),
    sourcesOrTests: files.filter((path) => /(^src\/|^test\/|\.test\.)/.test(path)),
  };
}
