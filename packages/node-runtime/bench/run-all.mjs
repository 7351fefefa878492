// `npm run bench`: every node-runtime benchmark, one after another (never in parallel: they
// measure throughput on a shared machine). Needs `npm run build` first (turbo does it).
// Environment knobs are passed through (BENCH_TASKS, BENCH_PASSES, … — see each file's header).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benches = ['pool-vs-piscina.bench.mjs', 'age-throughput.bench.mjs', 'daemon-load.bench.mjs'];
let failed = false;
for (const name of benches) {
  const path = fileURLToPath(new URL(`./${name}`, import.meta.url));
  if (!existsSync(path)) {
    console.log(`\n## ${name}: not present, skipped`);
    continue;
  }
  console.log(`\n## ${name}`);
  const { status, signal } = spawnSync(process.execPath, [path], { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`${name} failed (${signal ?? `exit code ${status}`})`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
