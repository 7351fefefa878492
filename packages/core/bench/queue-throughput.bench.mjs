// KWQM vs p-queue vs fastq on the same jobs, in the same run. Prints a markdown table of jobs/s
// (or operations/s) per library and the ratios KWQM/peer. Uses the built bundle: run
// `npm run build` first (turbo's `bench` task does). Knobs for a short check:
// Run with `node --expose-gc` (as `npm run bench` does) so each timed iteration starts collected.
//   KWQM_BENCH_JOBS (default 100000), KWQM_BENCH_OPS (default 3000), KWQM_BENCH_ITERATIONS (timed rounds, default 7),
//   KWQM_BENCH_ONLY (run only tasks whose name contains this text).
import fastq from 'fastq';
import PQueue from 'p-queue';
import { Bench } from 'tinybench';
import { WorkQueue } from '../dist/index.js';

const JOBS = Number(process.env.KWQM_BENCH_JOBS ?? 100_000);
const OPS = Math.min(Number(process.env.KWQM_BENCH_OPS ?? 3_000), JOBS - 1);
const ITERATIONS = Number(process.env.KWQM_BENCH_ITERATIONS ?? 7);
/** Only the tasks whose name contains this text (e.g. `random jobs` for the management rows). */
const ONLY = process.env.KWQM_BENCH_ONLY;

/** A small seeded PRNG so every library gets the same "random" jobs in every run. */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(0x6b77716d);
const LEVELS = ['high', 'medium', 'low'];
/** p-queue runs higher numbers first. */
const P_QUEUE_PRIORITY = { high: 2, medium: 1, low: 0 };
const priorities = Array.from({ length: JOBS }, () => LEVELS[Math.floor(random() * 3)]);
/** Distinct random positions in the 100k queue that the management benchmarks touch. */
const targets = (() => {
  const positions = Array.from({ length: JOBS - 1 }, (_, index) => index + 1);
  for (let index = positions.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [positions[index], positions[other]] = [positions[other], positions[index]];
  }
  return positions.slice(0, OPS);
})();
const newPriorities = targets.map(() => LEVELS[Math.floor(random() * 3)]);

const noop = async () => undefined;
const kwqmExecutor = { run: noop };

// ---- throughput: push JOBS no-op async jobs through, wait until idle ---------------------------

async function kwqmThroughput(concurrency, withPriorities, awaitResults) {
  const queue = new WorkQueue({ executor: kwqmExecutor, concurrency });
  const results = awaitResults ? [] : undefined;
  for (let index = 0; index < JOBS; index++) {
    const submitted = queue.submit(
      withPriorities
        ? { operation: 'noop', params: index, priority: priorities[index] }
        : { operation: 'noop', params: index },
    );
    if (results !== undefined) results.push(submitted.then((handle) => handle.result));
  }
  await queue.drain();
  if (results !== undefined) await Promise.all(results);
}

async function pQueueThroughput(concurrency, withPriorities) {
  const queue = new PQueue({ concurrency });
  for (let index = 0; index < JOBS; index++) {
    queue.add(noop, withPriorities ? { priority: P_QUEUE_PRIORITY[priorities[index]] } : undefined);
  }
  await queue.onIdle();
}

async function fastqThroughput(concurrency) {
  const queue = fastq.promise(noop, concurrency);
  for (let index = 0; index < JOBS; index++) queue.push(index);
  await queue.drained();
}

// ---- management: remove / change priority of OPS random jobs in a JOBS-job queue ----------------
// Setup (filling the queue) is not timed; KWQM's job table is fed during it, as on every submit.
// Job 0 runs (KWQM) or the queue is paused (p-queue), so every
// target waits in the queue. p-queue has no remove by id: its equivalent is aborting the
// job's AbortSignal, which takes it out of the queue (findIndex + splice).

let kwqmQueue;
let kwqmIds;
async function fillKwqm() {
  // Submitted, not restored: the jobs take the same path as any submitted job.
  kwqmQueue = new WorkQueue({ executor: { run: () => new Promise(() => {}) }, concurrency: 1 });
  const handles = [];
  for (let index = 0; index < JOBS; index++) {
    handles.push(kwqmQueue.submit({ operation: 'noop', params: index, priority: priorities[index] }));
  }
  kwqmIds = (await Promise.all(handles)).map((handle) => handle.id);
  collectGarbage();
}

let pQueue;
let pQueueControllers;
function fillPQueue() {
  pQueue = new PQueue({ concurrency: 1, autoStart: false });
  pQueueControllers = new Array(JOBS);
  for (let index = 0; index < JOBS; index++) {
    const controller = new AbortController();
    pQueueControllers[index] = controller;
    pQueue
      .add(noop, {
        id: `job-${index}`,
        priority: P_QUEUE_PRIORITY[priorities[index]],
        signal: controller.signal,
      })
      .catch(() => {});
  }
  collectGarbage();
}

const kwqmRemove = async () => {
  for (const position of targets) kwqmQueue.remove(kwqmIds[position]);
};
const kwqmSetPriority = async () => {
  for (let index = 0; index < targets.length; index++)
    kwqmQueue.setPriority(kwqmIds[targets[index]], newPriorities[index]);
};
const pQueueRemove = async () => {
  for (const position of targets) pQueueControllers[position].abort();
};
const pQueueSetPriority = async () => {
  for (let index = 0; index < targets.length; index++) {
    pQueue.setPriority(`job-${targets[index]}`, P_QUEUE_PRIORITY[newPriorities[index]]);
  }
};

// ---- run ---------------------------------------------------------------------------------------

// Every task function is `async`: tinybench calls a plain function once when it is added, to see
// whether it returns a promise, which would start a whole run in the background.
/** Collects the previous iteration's garbage before each timed one (with `--expose-gc`), for every library alike. */
const collectGarbage = () => globalThis.gc?.();
const settle = { beforeEach: collectGarbage };

// Throughput runs in rounds: every task once per round, one untimed round first, then the median
// over the timed rounds. Interleaved, a slow spell of this shared VM hits every library alike
// instead of whichever one tinybench was timing at the time.
const throughputTasks = [];
// One timed pass, no warm-up, for management: a pass of p-queue takes seconds (each call is
// linear in the queue), and the setup refills a 100k-job queue before it.
const managementBench = new Bench({ iterations: 1, time: 0, warmup: false });
const add = (name, fn, options, target) => {
  if (ONLY !== undefined && !name.includes(ONLY)) return;
  if (target === undefined) throughputTasks.push([name, fn, options]);
  else target.add(name, fn, options);
};
const throughputScenarios = [];
for (const concurrency of [1, 16]) {
  for (const withPriorities of [false, true]) {
    const label = `${JOBS} no-op jobs, concurrency ${concurrency}, ${withPriorities ? 'three random priorities' : 'no priorities'}`;
    throughputScenarios.push({ label, concurrency, withPriorities });
    add(`kwqm|${label}`, async () => kwqmThroughput(concurrency, withPriorities, false), settle);
    add(`kwqm-results|${label}`, async () => kwqmThroughput(concurrency, withPriorities, true), settle);
    add(`p-queue|${label}`, async () => pQueueThroughput(concurrency, withPriorities), settle);
    if (!withPriorities) add(`fastq|${label}`, async () => fastqThroughput(concurrency), settle);
  }
}
const removeLabel = `remove ${OPS} random jobs from a ${JOBS}-job queue`;
const setPriorityLabel = `change the priority of ${OPS} random jobs in a ${JOBS}-job queue`;
add(`kwqm|${removeLabel}`, kwqmRemove, { beforeEach: fillKwqm }, managementBench);
add(`p-queue|${removeLabel}`, pQueueRemove, { beforeEach: fillPQueue }, managementBench);
add(`kwqm|${setPriorityLabel}`, kwqmSetPriority, { beforeEach: fillKwqm }, managementBench);
add(`p-queue|${setPriorityLabel}`, pQueueSetPriority, { beforeEach: fillPQueue }, managementBench);

const started = performance.now();
// Progress on stderr, so the table on stdout stays clean.
const logCycle = (round) => (event) => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`[${seconds}s] ${round} ${event.task?.name}\n`);
};
/** Milliseconds of each timed round, by task name. */
const roundTimes = new Map(throughputTasks.map(([name]) => [name, []]));
for (let round = 0; round <= ITERATIONS && throughputTasks.length > 0; round++) {
  const bench = new Bench({ iterations: 1, time: 0, warmup: false });
  for (const [name, fn, options] of throughputTasks) bench.add(name, fn, options);
  bench.addEventListener('cycle', logCycle(round === 0 ? 'warm-up' : `round ${round}`));
  await bench.run();
  if (round === 0) continue;
  for (const task of bench.tasks) {
    if (task.result?.error) throw task.result.error;
    roundTimes.get(task.name).push(task.result.latency.mean);
  }
}
managementBench.addEventListener('cycle', logCycle('management'));
await managementBench.run();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Items per second from the median time of one run (ms). */
function rate(name, items) {
  const times = roundTimes.get(name);
  if (times !== undefined) return times.length === 0 ? undefined : (items / median(times)) * 1000;
  const task = managementBench.getTask(name);
  if (task?.result?.error) throw task.result.error;
  const ms = task?.result?.latency?.mean;
  return ms === undefined ? undefined : (items / ms) * 1000;
}

/** The lowest and highest ratio `a / b` over the rounds (each round's own times). */
function ratioRange(a, b) {
  const timesA = roundTimes.get(a);
  const timesB = roundTimes.get(b);
  if (timesA === undefined || timesB === undefined || timesA.length === 0) return 'n/a';
  const ratios = timesA.map((ms, index) => timesB[index] / ms);
  return `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
}
const format = (value) => (value === undefined ? 'n/a' : Math.round(value).toLocaleString('en-US'));
const ratio = (a, b) => (a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}×`);

const lines = [
  `KWQM vs p-queue 9.3.5 vs fastq 1.20.3 — Node ${process.version}, ${process.platform}/${process.arch}; throughput: median of ${ITERATIONS} interleaved rounds after one warm-up round, management: one timed pass; same seeded jobs for every library.`,
  '',
  '| scenario | KWQM jobs/s | KWQM jobs/s, awaiting every result | p-queue jobs/s | fastq (promise) jobs/s | KWQM / p-queue | KWQM / fastq | KWQM / p-queue, each round | KWQM / fastq, each round |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const { label, withPriorities } of throughputScenarios) {
  const kwqm = rate(`kwqm|${label}`, JOBS);
  const kwqmResults = rate(`kwqm-results|${label}`, JOBS);
  const peer = rate(`p-queue|${label}`, JOBS);
  const fast = withPriorities ? undefined : rate(`fastq|${label}`, JOBS);
  lines.push(
    `| ${label} | ${format(kwqm)} | ${format(kwqmResults)} | ${format(peer)} | ${format(fast)} | ${ratio(kwqm, peer)} | ${ratio(kwqm, fast)} | ${ratioRange(`kwqm|${label}`, `p-queue|${label}`)} | ${withPriorities ? 'n/a' : ratioRange(`kwqm|${label}`, `fastq|${label}`)} |`,
  );
}
lines.push(
  '',
  'KWQM finds jobs by id through its job table (docs/architecture/0001), fed as jobs are submitted; filling the queue is not timed for either library.',
  '',
  '| operation | KWQM ops/s | p-queue ops/s | KWQM / p-queue |',
  '|---|---:|---:|---:|',
);
for (const label of [removeLabel, setPriorityLabel]) {
  const kwqm = rate(`kwqm|${label}`, OPS);
  const peer = rate(`p-queue|${label}`, OPS);
  lines.push(`| ${label} | ${format(kwqm)} | ${format(peer)} | ${ratio(kwqm, peer)} |`);
}
lines.push('', `Total benchmark time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(lines.join('\n'));
