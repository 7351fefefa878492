import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time of the sources that end up in dist (tests excluded). */
function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

function builtTime(): number {
  try {
    return statSync(join(packageDir, 'dist', 'worker.js')).mtimeMs;
  } catch {
    return 0;
  }
}

/** Rebuilds dist when dist/worker.js is missing or older than a source file. */
export default function setup(): void {
  if (builtTime() >= newestSourceTime(join(packageDir, 'src'))) return;
  const tsup = createRequire(import.meta.url).resolve('tsup/dist/cli-default.js');
  execFileSync(process.execPath, [tsup, '--silent'], { cwd: packageDir, stdio: 'inherit' });
}
