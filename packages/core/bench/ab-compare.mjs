// Two builds of @kwqm/core on the same 100 000-job burst, alternated in one process: run after run,
// A then B, then B then A, and so on; the first two runs of each are dropped, the medians compared.
// Separate benchmark runs move by ±15–30 % from one minute to the next on a shared VM; alternating
// in one process cancels most of that, so a change of a few per cent shows.
//   cp -r dist /tmp/core-before     # before the change
//   (change, npm run build)
//   node --expose-gc bench/ab-compare.mjs /tmp/core-before dist
// Knobs: KWQM_AB_RUNS (runs of each build, default 30), KWQM_AB_CONCURRENCY (default 1),
// KWQM_AB_PRIORITIES (1 = three seeded random priorities, the default; 0 = none).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [before, after] = process.argv.slice(2);
if (before === undefined || after === undefined) {
  console.error('usage: node --expose-gc bench/ab-compare.mjs <dist folder A> <dist folder B>');
  process.exit(2);
}
const load = async (folder) => (await import(pathToFileURL(resolve(folder, 'index.js')).href)).WorkQueue;
const builds = { A: await load(before), B: await load(after) };

const JOBS = 100_000;
const RUNS = Number(process.env.KWQM_AB_RUNS ?? 30);
const CONCURRENCY = Number(process.env.KWQM_AB_CONCURRENCY ?? 1);
const WITH_PRIORITIES = (process.env.KWQM_AB_PRIORITIES ?? '1') === '1';

/** The same seeded priorities as every run (a Park–Miller generator). */
let seed = 1;
const LEVELS = ['high', 'medium', 'low'];
const priorities = Array.from({ length: JOBS }, () => {
  seed = (seed * 16807) % 2147483647;
  return LEVELS[Math.floor((seed / 2147483647) * 3)];
});
const executor = { run: async () => undefined };

async function burst(WorkQueue) {
  const queue = new WorkQueue({ executor, concurrency: CONCURRENCY });
  for (let index = 0; index < JOBS; index++) {
    queue.submit(
      WITH_PRIORITIES
        ? { operation: 'noop', params: index, priority: priorities[index] }
        : { operation: 'noop', params: index },
    );
  }
  await queue.drain();
}

const times = { A: [], B: [] };
for (let run = 0; run < RUNS; run++) {
  for (const name of run % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
    globalThis.gc?.();
    const start = performance.now();
    await burst(builds[name]);
    if (run >= 2) times[name].push(performance.now() - start);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const [a, b] = [median(times.A), median(times.B)];
console.log(
  `${JOBS} jobs, concurrency ${CONCURRENCY}, ${WITH_PRIORITIES ? 'three random priorities' : 'no priorities'}, ${RUNS - 2} timed runs each`,
);
console.log(`A ${before}: median ${a.toFixed(1)} ms`);
console.log(`B ${after}: median ${b.toFixed(1)} ms`);
console.log(`B is ${(a / b).toFixed(3)}× as fast as A`);
