// Load benchmark of the kwqm daemon, with a raw Unix-socket NDJSON echo measured in the same run.
//   node bench/daemon-load.bench.mjs                         (needs `npm run build`; 10 000 jobs, 20 clients)
//   BENCH_JOBS=2000 BENCH_ROUND_TRIPS=500 node bench/daemon-load.bench.mjs   (a quick check)
//   BENCH_ONLY=round-trip node bench/daemon-load.bench.mjs   (only the round trip vs the echo, ~10 s)
//   BENCH_DIST=/path/to/another/dist ...                     (measure another build of the package)
//
// Load: BENCH_CLIENTS clients (own connections) submit BENCH_JOBS `noop` jobs between them, each
// client one submit at a time, into a daemon with capacity 64 and a producer limit of 8 waiting
// submits: throughput, p50/p99 submit latency (including any wait for room), accepted vs
// QUEUE_FULL, and every accepted job's final event counted by a subscriber of all events
// (exactly once each) and every accepted handle settled.
// Round trip: one client submitting one `noop` at a time into an idle daemon, against a bare
// NDJSON echo over a Unix socket (a separate process too), message of the same size; the ratio
// submit-p50 / echo-p50 is the issue's target (<= 3x). BENCH_ROUNDS rounds (default 5) of
// BENCH_ROUND_TRIPS samples of each side (default 1000), interleaved in blocks of 100 after a
// warm-up block; each round's ratio is printed, and the verdict is the median round's ratio, so
// one noisy stretch on a shared machine moves one round, not the result.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CAPACITY = 64;
const PRODUCER_LIMIT = 8;
const ROUND_TRIP_ONLY = process.env.BENCH_ONLY === 'round-trip';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const distDir = process.env.BENCH_DIST ?? join(packageDir, 'dist');
const daemonEntry = join(distDir, 'daemon.js');
const operations = join(packageDir, 'test', 'daemon', 'fixtures', 'daemon-test-operations.mjs');

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(samples) {
  const sorted = Float64Array.from(samples).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

const micros = (ms) => `${(ms * 1000).toFixed(0)} µs`;

function waitForExit(child) {
  return new Promise((resolve) => child.once('exit', resolve));
}

async function connectWithRetry(DaemonClient, socketPath) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await DaemonClient.connect({ socketPath, reconnectTimeoutMs: 0 });
    } catch (error) {
      if (attempt > 300) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

// A separate process echoing NDJSON lines back, one write per line, as the daemon answers.
const ECHO_SERVER = `
  const net = require('node:net');
  const server = net.createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (text) => {
      buffer += text;
      let newline = buffer.indexOf('\\n');
      while (newline !== -1) {
        socket.write(buffer.slice(0, newline + 1));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\\n');
      }
    });
  });
  server.listen(process.argv[1], () => process.stdout.write('ready\\n'));
`;

/** Starts the echo process and connects; `roundTrip()` sends one line and waits for it to come back. */
async function openEcho(socketPath, message) {
  const server = spawn(process.execPath, ['-e', ECHO_SERVER, socketPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => server.stdout.once('data', resolve));
  const socket = connect(socketPath);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.setEncoding('utf8');
  let buffer = '';
  let wake;
  socket.on('data', (text) => {
    buffer += text;
    if (buffer.endsWith('\n')) {
      buffer = '';
      wake();
    }
  });
  return {
    roundTrip: () =>
      new Promise((resolve) => {
        wake = resolve;
        socket.write(message);
      }),
    close: async () => {
      socket.destroy();
      server.kill();
      await waitForExit(server);
    },
  };
}

const root = mkdtempSync(join(tmpdir(), 'kwqm-bench-'));
const socketPath = join(root, 'run', 'kwqm.sock');
let daemon;
try {
  const { DaemonClient } = await import(pathToFileURL(join(distDir, 'index.js')).href);
  // BENCH_DAEMON_NODE_ARGS passes flags to the daemon's node (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
  const nodeArgs = (process.env.BENCH_DAEMON_NODE_ARGS ?? '').split(' ').filter(Boolean);
  daemon = spawn(process.execPath, [...nodeArgs, daemonEntry], {
    stdio: 'ignore',
    env: {
      ...process.env,
      KWQM_SOCKET: socketPath,
      KWQM_STATE_DIR: join(root, 'state'),
      KWQM_OPERATIONS: operations,
      KWQM_CONCURRENCY: '2',
      KWQM_CAPACITY: String(CAPACITY),
      KWQM_MAX_WAITING_PRODUCERS: String(PRODUCER_LIMIT),
      KWQM_LOG_LEVEL: 'warn',
    },
  });

  // --- round trip on an idle daemon vs the raw echo ---------------------------------------
  // Interleaved in blocks, so a noisy machine slows both sides alike; a warm-up block first.
  const single = await connectWithRetry(DaemonClient, socketPath);
  const spec = { operation: 'noop', params: { input: '/home/user/some/file.txt' } };
  const message = `${JSON.stringify({ id: 123456, type: 'submit', spec })}\n`;
  const echoConnection = await openEcho(join(root, 'echo.sock'), message);
  const BLOCK = 100;
  const submitBlock = async (samples) => {
    for (let index = 0; index < BLOCK; index++) {
      const start = performance.now();
      const handle = await single.submit(spec);
      samples?.push(performance.now() - start);
      await handle.result; // keep the daemon idle between samples
    }
  };
  const echoBlock = async (samples) => {
    for (let index = 0; index < BLOCK; index++) {
      const start = performance.now();
      await echoConnection.roundTrip();
      samples?.push(performance.now() - start);
    }
  };
  await submitBlock();
  await echoBlock();
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const submitSamples = [];
    const echoSamples = [];
    for (let block = 0; block < Math.ceil(ROUND_TRIPS / BLOCK); block++) {
      // Alternate which side goes first, so neither always follows the other's tail.
      if (block % 2 === 0) {
        await submitBlock(submitSamples);
        await echoBlock(echoSamples);
      } else {
        await echoBlock(echoSamples);
        await submitBlock(submitSamples);
      }
    }
    const submit = summary(submitSamples);
    const echo = summary(echoSamples);
    rounds.push({ submit, echo, ratio: submit.p50 / echo.p50, samples: submitSamples.length });
  }
  single.close();
  await echoConnection.close();
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const printRoundTrip = () => {
    console.log(
      `round trip, idle daemon, ${ROUNDS} rounds of ${rounds[0].samples} samples each side, interleaved, ${message.length - 1}-byte message:`,
    );
    for (const [index, { submit, echo, ratio }] of rounds.entries()) {
      console.log(
        `  round ${index + 1}: submit p50 ${micros(submit.p50)} p99 ${micros(submit.p99)}, echo p50 ${micros(echo.p50)} p99 ${micros(echo.p99)}, ratio ${ratio.toFixed(2)}x`,
      );
    }
    const ratios = rounds.map((round) => round.ratio);
    console.log(
      `  median of rounds       submit p50 ${micros(median(rounds.map((round) => round.submit.p50)))}, echo p50 ${micros(median(rounds.map((round) => round.echo.p50)))}`,
    );
    console.log(
      `  ratio submit/echo p50  ${median(ratios).toFixed(2)}x median of rounds (${Math.min(...ratios).toFixed(2)}x–${Math.max(...ratios).toFixed(2)}x) (target <= 3x)`,
    );
  };
  if (ROUND_TRIP_ONLY) {
    const stopper = await connectWithRetry(DaemonClient, socketPath);
    await stopper.shutdown();
    stopper.close();
    await waitForExit(daemon);
    daemon = undefined;
    printRoundTrip();
    rmSync(root, { recursive: true, force: true });
    process.exit(0);
  }

  // --- load: CLIENTS clients, JOBS jobs, capacity 64, producer limit 8 -----------------------
  const monitor = await connectWithRetry(DaemonClient, socketPath);
  const finals = new Map();
  monitor.subscribe((event) => {
    if (
      event.type === 'succeeded' ||
      event.type === 'failed' ||
      event.type === 'canceled' ||
      event.type === 'removed'
    ) {
      finals.set(event.job.id, (finals.get(event.job.id) ?? 0) + 1);
    }
  });
  await monitor.list(); // the subscription is in place once this answers
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, () => connectWithRetry(DaemonClient, socketPath)),
  );
  const latencies = [];
  const accepted = [];
  const results = [];
  let queueFull = 0;
  let otherErrors = 0;
  const perClient = Math.ceil(JOBS / CLIENTS);
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, clientIndex) => {
      for (let index = 0; index < perClient && clientIndex * perClient + index < JOBS; index++) {
        const start = performance.now();
        try {
          const handle = await client.submit({ operation: 'noop', params: { client: clientIndex, index } });
          latencies.push(performance.now() - start);
          accepted.push(handle.id);
          results.push(handle.result);
        } catch (error) {
          if (error?.code === 'QUEUE_FULL') queueFull++;
          else otherErrors++;
        }
      }
    }),
  );
  const submitSeconds = (performance.now() - started) / 1000;
  const settled = await Promise.allSettled(results);
  // Every accepted job's final event reaches the subscriber of all; wait for the last ones.
  const deadline = Date.now() + 30_000;
  while (accepted.some((id) => !finals.has(id)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const exactlyOnce = accepted.every((id) => finals.get(id) === 1);
  const unique = new Set(accepted).size === accepted.length;
  const load = summary(latencies);
  for (const client of clients) client.close();
  await monitor.shutdown();
  monitor.close();
  await waitForExit(daemon);
  daemon = undefined;

  console.log(
    `kwqm daemon load: ${JOBS} jobs, ${CLIENTS} clients, capacity ${CAPACITY}, producer limit ${PRODUCER_LIMIT}, 2 workers`,
  );
  console.log(
    `  submissions/s          ${((accepted.length + queueFull) / submitSeconds).toFixed(0)} (accepted ${(accepted.length / submitSeconds).toFixed(0)}/s)`,
  );
  console.log(
    `  submit latency         p50 ${micros(load.p50)}, p99 ${micros(load.p99)} (includes waits for room)`,
  );
  console.log(
    `  accepted / QUEUE_FULL  ${accepted.length} / ${queueFull}${otherErrors > 0 ? ` (other errors: ${otherErrors})` : ''}`,
  );
  console.log(
    `  handles settled        ${settled.filter((result) => result.status === 'fulfilled').length} fulfilled of ${accepted.length}`,
  );
  console.log(
    `  final events           ${exactlyOnce && unique ? 'exactly once for every accepted job' : 'MISSING OR DUPLICATED'}`,
  );
  printRoundTrip();
  if (!exactlyOnce || !unique || otherErrors > 0) process.exitCode = 1;
} finally {
  if (daemon !== undefined) daemon.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
}
