import { execFileSync } from 'node:child_process';

/**
 * The paths `npm pack` puts in the tarball of the package in `packageDir`, without building it
 * (`--ignore-scripts`): what a user installs, so the packages' tests can check it holds the
 * licence, readme and builds, and no sources or tests.
 */
export function packedFiles(packageDir: string): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
  return pack?.files.map((file) => file.path) ?? [];
}

/** The packed paths that are sources or tests, which no tarball should hold. */
export function sourcesAndTests(files: readonly string[]): string[] {
  return files.filter((path) => /(^src\/|^test\/|\.test\.)/.test(path));
}
