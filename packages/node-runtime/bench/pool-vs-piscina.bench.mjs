// Our worker pool vs piscina on tiny tasks (`x => x + 1`), 2 threads each, in the same run.
//   node bench/pool-vs-piscina.bench.mjs            (needs `npm run build`; 100 000 tasks)
//   BENCH_TASKS=20000 BENCH_PASSES=1 node bench/pool-vs-piscina.bench.mjs   (a quick check)
// Throughput: N tasks; piscina gets all N at once (its own queue, default settings); our pool
// gets at most one task per worker in flight (it has no queue: the core queue dispatches), so
// it is driven by `size` lanes through its Executor interface, and through createKwqmQueue with
// all N submitted at once. Latency: one task at a time on an idle pool, p50/p99 of the round trip.
// The "(2 lanes)" rows drive piscina and createKwqmQueue like the WorkerPool row (one task in flight
// per thread, no backlog), so each workload has a like-for-like pair: all-at-once rows pay for
// holding N pending tasks (workers idle while the submit loop runs, GC of the live backlog), lane
// rows do not. See docs/performance-pool.md.
// The last row is the floor: bare workers answering postMessage, one message in flight per worker.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import * as runtime from '../dist/index.js';

const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const PASSES = Number(process.env.BENCH_PASSES ?? 3);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 5_000);
const THREADS = 2;
const addOneModule = new URL('./fixtures/add-one-operation.mjs', import.meta.url);
const piscinaFile = new URL('./fixtures/piscina-add-one.mjs', import.meta.url).href;
const bareWorkerFile = new URL('./fixtures/bare-worker.mjs', import.meta.url);

const neverAborted = new AbortController().signal;
const context = { signal: neverAborted, reportProgress() {} };
const jobOf = (x) => ({
  id: 'bench',
  operation: 'add-one',
  params: x,
  secrets: undefined,
  priority: 'medium',
});

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latency(runOne) {
  const samples = new Float64Array(LATENCY_SAMPLES);
  for (let index = 0; index < LATENCY_SAMPLES; index += 1) {
    const start = performance.now();
    await runOne(index);
    samples[index] = (performance.now() - start) * 1000;
  }
  samples.sort();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

const peers = {
  async piscina() {
    const pool = new Piscina({ filename: piscinaFile, minThreads: THREADS, maxThreads: THREADS });
    const throughput = async () => {
      const tasks = new Array(TASKS);
      for (let index = 0; index < TASKS; index += 1) tasks[index] = pool.run(index);
      await Promise.all(tasks);
    };
    return { throughput, runOne: (x) => pool.run(x), close: () => pool.close() };
  },

  async 'piscina (2 lanes)'() {
    const pool = new Piscina({ filename: piscinaFile, minThreads: THREADS, maxThreads: THREADS });
    const throughput = async () => {
      let next = 0;
      const lane = async () => {
        while (next < TASKS) await pool.run(next++);
      };
      await Promise.all(Array.from({ length: THREADS }, lane));
    };
    return { throughput, runOne: (x) => pool.run(x), close: () => pool.close() };
  },

  async 'WorkerPool (Executor)'() {
    const pool = new runtime.WorkerPool({ size: THREADS, operations: [addOneModule] });
    const throughput = async () => {
      let next = 0;
      const lane = async () => {
        while (next < TASKS) await pool.run(jobOf(next++), context);
      };
      await Promise.all(Array.from({ length: pool.size }, lane));
    };
    return { throughput, runOne: (x) => pool.run(jobOf(x), context), close: () => pool.close() };
  },

  async createKwqmQueue() {
    if (typeof runtime.createKwqmQueue !== 'function') return undefined;
    const queue = runtime.createKwqmQueue({ workers: THREADS, operations: [addOneModule] });
    const throughput = async () => {
      const results = new Array(TASKS);
      for (let index = 0; index < TASKS; index += 1) {
        results[index] = (await queue.submit({ operation: 'add-one', params: index })).result;
      }
      await Promise.all(results);
    };
    const runOne = async (x) => (await queue.submit({ operation: 'add-one', params: x })).result;
    return { throughput, runOne, close: () => queue.close() };
  },

  async 'createKwqmQueue (2 lanes)'() {
    if (typeof runtime.createKwqmQueue !== 'function') return undefined;
    const queue = runtime.createKwqmQueue({ workers: THREADS, operations: [addOneModule] });
    const runOne = async (x) => (await queue.submit({ operation: 'add-one', params: x })).result;
    const throughput = async () => {
      let next = 0;
      const lane = async () => {
        while (next < TASKS) await runOne(next++);
      };
      await Promise.all(Array.from({ length: THREADS }, lane));
    };
    return { throughput, runOne, close: () => queue.close() };
  },

  async 'bare worker round trip (floor)'() {
    const lanes = Array.from({ length: THREADS }, () => {
      const worker = new Worker(bareWorkerFile);
      let resolveNext;
      worker.on('message', (value) => resolveNext(value));
      return {
        worker,
        send: (x) =>
          new Promise((resolve) => {
            resolveNext = resolve;
            worker.postMessage(x);
          }),
      };
    });
    const throughput = async () => {
      let next = 0;
      await Promise.all(
        lanes.map(async (lane) => {
          while (next < TASKS) await lane.send(next++);
        }),
      );
    };
    const runOne = (x) => lanes[0].send(x);
    return { throughput, runOne, close: () => Promise.all(lanes.map((lane) => lane.worker.terminate())) };
  },
};

const rows = [];
for (const [name, make] of Object.entries(peers)) {
  const peer = await make();
  if (peer === undefined) {
    console.log(`${name}: not available in this build, skipped`);
    continue;
  }
  // Warm up: start the threads and let the JIT settle.
  for (let index = 0; index < 2_000; index += 1) await peer.runOne(index);
  const rates = [];
  for (let pass = 0; pass < PASSES; pass += 1) {
    const start = performance.now();
    await peer.throughput();
    rates.push(TASKS / ((performance.now() - start) / 1000));
  }
  const { p50, p99 } = await latency(peer.runOne);
  await peer.close();
  rows.push({ name, rate: median(rates), p50, p99 });
}

const base = rows.find((row) => row.name === 'piscina');
console.log(
  `\n${TASKS} tasks x => x + 1, ${THREADS} threads, median of ${PASSES} passes; latency over ${LATENCY_SAMPLES} idle round trips`,
);
console.log('| peer | tasks/s | × piscina | round trip p50 (µs) | p99 (µs) |');
console.log('|---|---:|---:|---:|---:|');
for (const row of rows) {
  const ratio = base ? (row.rate / base.rate).toFixed(2) : '–';
  console.log(
    `| ${row.name} | ${Math.round(row.rate).toLocaleString('en-US')} | ${ratio} | ${row.p50.toFixed(0)} | ${row.p99.toFixed(0)} |`,
  );
}
