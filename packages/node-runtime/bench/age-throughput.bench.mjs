// age encryption throughput: our encrypt/decrypt operations (X25519) vs the reference `age` CLI,
// `openssl enc -aes-256-ctr`, and `cp` as the floor for any file-to-file job (with `dd bs=128K`, the
// same copy in the write size our jobs use), in the same run, on the same page-cached file. Also
// peak RSS of each, RSS flatness (64 MiB vs the full size), and two files at once vs one: as two
// processes, through one queue with two workers, and the disk's floor (two flushed `dd` copies);
// then the same pairs with their outputs in memory (tmpfs), where the disk is not the limit.
//   node bench/age-throughput.bench.mjs                  (needs `npm run build`; 1 GiB, 5 passes)
//   node bench/age-throughput.bench.mjs --size 256 --passes 1   (a quick check while developing)
// Options: --only "tool,tool" (BENCH_ONLY; just those rows, no RSS or two-file sections),
// --size MiB (env BENCH_AGE_SIZE_MIB), --passes N (BENCH_PASSES), --dir DIR (BENCH_DIR,
// default the OS temp folder; use a folder on the disk you care about, not tmpfs), --memory-dir DIR
// (BENCH_MEMORY_DIR, default /dev/shm; a tmpfs for the in-memory pairs, "" to skip them).
// Every tool runs as a child process; wall time is measured from spawn to exit. Ours runs the
// operation in a child `node` that reports its own VmHWM; the others are sampled every 10 ms
// from /proc/<pid>/status (VmHWM is a high-water mark, so sampling misses at most the last 10 ms).
// Ours fsyncs its output before the rename (atomic, durable output); the peers do not, so each
// peer is also shown with `sync <output>` (fsync) added: the like-for-like figure.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomFillSync } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: process.env.BENCH_AGE_SIZE_MIB ?? '1024' },
    passes: { type: 'string', default: process.env.BENCH_PASSES ?? '5' },
    dir: { type: 'string', default: process.env.BENCH_DIR ?? tmpdir() },
    only: { type: 'string', default: process.env.BENCH_ONLY ?? '' },
    'memory-dir': { type: 'string', default: process.env.BENCH_MEMORY_DIR ?? '/dev/shm' },
  },
});
const SIZE_MIB = Number(values.size);
const PASSES = Number(values.passes);
// The RSS check compares 64 MiB with the full size (a quarter of it for a run of 64 MiB or less).
const SMALL_MIB = Number(values.size) > 64 ? 64 : Math.max(1, Math.floor(Number(values.size) / 4));
const distUrl = new URL('../dist/index.js', import.meta.url).href;
for (const [name, value] of [
  ['size', SIZE_MIB],
  ['passes', PASSES],
]) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`Expected \`--${name}\` to be an integer >= 1, got \`${value}\``);
}

const folder = mkdtempSync(join(values.dir, 'kwqm-age-bench-'));
const bigInput = join(folder, 'input.bin');
const smallInput = join(folder, 'small.bin');
const keyFile = join(folder, 'key.txt');

function makeFile(path, mib) {
  // Random data (incompressible) from one 16 MiB random block repeated: fast to make, and no tool
  // here compresses or deduplicates.
  const block = randomFillSync(Buffer.allocUnsafe(16 * 1024 * 1024));
  const fd = openSync(path, 'w');
  for (let written = 0; written < mib * 1024 * 1024; written += block.byteLength) {
    writeSync(fd, block, 0, Math.min(block.byteLength, mib * 1024 * 1024 - written));
  }
  closeSync(fd);
  execFileSync('sync');
  execFileSync('sh', ['-c', `cat '${path}' > /dev/null`]); // into the page cache
}

function vmHwmKiB(statusText) {
  const match = /VmHWM:\s+(\d+) kB/.exec(statusText);
  return match ? Number(match[1]) : 0;
}

/** Runs a command; resolves with wall ms, peak RSS (KiB) and stdout. */
function measure(command, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let stdout = '';
    let stderr = '';
    const sample = () => {
      try {
        peak = Math.max(peak, vmHwmKiB(readFileSync(`/proc/${child.pid}/status`, 'utf8')));
      } catch {
        // The process is gone; the last sample stands.
      }
    };
    const timer = setInterval(sample, 10);
    child.stdout.on('data', (data) => {
      stdout += data;
    });
    child.stderr.on('data', (data) => {
      stderr += data;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - start;
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr}`));
      else resolve({ ms, peakKiB: peak, stdout });
    });
  });
}

const OURS = `
const [mode, input, output, key, distUrl] = process.argv.slice(1);
const { encrypt, decrypt } = await import(distUrl);
const context = { signal: new AbortController().signal, reportProgress() {} };
const start = performance.now();
if (mode === 'encrypt') await encrypt.run({ input, output, overwrite: true, recipients: [key] }, undefined, context);
else await decrypt.run({ input, output, overwrite: true }, { identities: [key] }, context);
const operationMs = performance.now() - start;
const status = (await import('node:fs')).readFileSync('/proc/self/status', 'utf8');
process.stdout.write(JSON.stringify({ operationMs, peakKiB: Number(/VmHWM:\\s+(\\d+) kB/.exec(status)[1]) }));
`;

// Two files at once the way the product runs them: one process, one queue, two worker threads
// (createKwqmQueue, as the CLI's daemon does), alternated with one file through the same queue.
const POOL_PAIRS = `
const [input, warmInput, outA, outB, recipient, distUrl, rounds] = process.argv.slice(1);
const { execFileSync } = await import('node:child_process');
const { rmSync } = await import('node:fs');
const { createKwqmQueue } = await import(distUrl);
const queue = createKwqmQueue({ workers: 2 });
const encrypt = async (from, output) =>
  (await queue.submit({ operation: 'encrypt', params: { input: from, output, overwrite: true, recipients: [recipient] } })).result;
const prepare = () => {
  for (const path of [outA, outB]) rmSync(path, { force: true });
  execFileSync('sh', ['-c', "cat '" + input + "' > /dev/null"]);
  execFileSync('sync');
};
await Promise.all([encrypt(warmInput, outA), encrypt(warmInput, outB)]); // both workers started
const singleMs = [];
const pairMs = [];
for (let round = 0; round < Number(rounds); round += 1) {
  prepare();
  let start = performance.now();
  await encrypt(input, outA);
  singleMs.push(performance.now() - start);
  prepare();
  start = performance.now();
  await Promise.all([encrypt(input, outA), encrypt(input, outB)]);
  pairMs.push(performance.now() - start);
}
prepare();
await queue.close();
process.stdout.write(JSON.stringify({ singleMs, pairMs }));
`;

/** Our operation in a fresh `node`: wall time includes starting node and importing the package. */
async function ours(mode, input, output, key) {
  const result = await measure(process.execPath, [
    '--input-type=module',
    '-e',
    OURS,
    mode,
    input,
    output,
    key,
    distUrl,
  ]);
  return { ...result, ...JSON.parse(result.stdout) };
}

async function withSync(result, output) {
  const start = performance.now();
  execFileSync('sync', [output]);
  return { ...result, syncedMs: result.ms + (performance.now() - start) };
}

/** The rows that copy without encrypting: floors, with no `age` to compare with. */
const COPIES = new Set(['cp', 'dd, 128 KiB writes']);

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const mibPerSecond = (ms, mib = SIZE_MIB) => (mib * 1000) / ms;

/**
 * A folder for the in-memory pair outputs (`--memory-dir`, default /dev/shm), or undefined (with
 * a line saying why) when there is none or it cannot take two outputs and a spare.
 */
function memoryOutputFolder() {
  const dir = values['memory-dir'];
  if (dir === '') return undefined;
  let free;
  try {
    const stats = statfsSync(dir);
    free = stats.bavail * stats.bsize;
  } catch (error) {
    console.log(`\n(two files at once, outputs in memory: skipped, ${dir}: ${error.code ?? error.message})`);
    return undefined;
  }
  if (free < 3 * SIZE_MIB * 1024 * 1024) {
    console.log(
      `\n(two files at once, outputs in memory: skipped, ${dir} has ${Math.floor(free / 1048576)} MiB free)`,
    );
    return undefined;
  }
  return mkdtempSync(join(dir, 'kwqm-age-bench-'));
}

/**
 * Two files at once vs one, with both outputs in `outputFolder`: as two processes (alternated
 * with single runs, three of each, each after the same preparation as the passes), through one
 * queue with two worker threads in one process (POOL_PAIRS: how the daemon and `kwqm encrypt a b`
 * run two jobs), and the floor of that folder for two flushed outputs at once (two `dd` copies).
 */
async function twoFilesAtOnce(outputFolder, title, { bigInput, smallInput, recipient, warmInputs }) {
  const out = join(outputFolder, 'one.age');
  const twoOut = [join(outputFolder, 'two-a.age'), join(outputFolder, 'two-b.age')];
  const prepare = () => {
    for (const path of [out, ...twoOut]) rmSync(path, { force: true });
    warmInputs();
    execFileSync('sync');
  };
  const singleMs = [];
  const pairMs = [];
  for (let round = 0; round < 3; round += 1) {
    prepare();
    singleMs.push((await ours('encrypt', bigInput, out, recipient)).ms);
    prepare();
    const start = performance.now();
    await Promise.all(twoOut.map((path) => ours('encrypt', bigInput, path, recipient)));
    pairMs.push(performance.now() - start);
  }
  const copy = (path) =>
    measure('dd', [`if=${bigInput}`, `of=${path}`, 'bs=128K', 'conv=fdatasync', 'status=none']);
  const copyOneMs = [];
  const copyPairMs = [];
  for (let round = 0; round < 3; round += 1) {
    prepare();
    copyOneMs.push((await copy(out)).ms);
    prepare();
    const start = performance.now();
    await Promise.all(twoOut.map((path) => copy(path)));
    copyPairMs.push(performance.now() - start);
  }
  prepare();
  const pool = JSON.parse(
    (
      await measure(process.execPath, [
        '--input-type=module',
        '-e',
        POOL_PAIRS,
        bigInput,
        smallInput,
        ...twoOut,
        recipient,
        distUrl,
        '3',
      ])
    ).stdout,
  );
  prepare();
  const each = (list, mib) => list.map((ms) => mibPerSecond(ms, mib).toFixed(0)).join(' / ');
  const row = (label, oneMs, twoMs) => {
    const one = mibPerSecond(median(oneMs));
    const two = mibPerSecond(median(twoMs), 2 * SIZE_MIB);
    console.log(`| 1 ${label} | ${one.toFixed(0)} | ${each(oneMs, SIZE_MIB)} | 1.00× |`);
    console.log(
      `| 2 ${label} | ${two.toFixed(0)} | ${each(twoMs, 2 * SIZE_MIB)} | ${(two / one).toFixed(2)}× |`,
    );
  };
  console.log(`\n### two encryptions at once vs one, ${title}\n`);
  console.log('| jobs | total MiB/s (median of 3) | each run | vs one |');
  console.log('|---|---:|---:|---:|');
  row('(separate processes)', singleMs, pairMs);
  row('(createKwqmQueue, 2 workers)', pool.singleMs, pool.pairMs);
  row('(dd bs=128K, fdatasync: the floor)', copyOneMs, copyPairMs);
}

async function main() {
  console.log(`Creating a ${SIZE_MIB} MiB input in ${folder} …`);
  makeFile(bigInput, SIZE_MIB);
  makeFile(smallInput, SMALL_MIB);
  execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
  const identity = readFileSync(keyFile, 'utf8')
    .split('\n')
    .find((line) => line.startsWith('AGE-SECRET-KEY-1'));
  const recipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
  const aesKey = randomBytes(32).toString('hex');
  const aesIv = randomBytes(16).toString('hex');
  const out = join(folder, 'out.bin');
  const ours1 = join(folder, 'ours.age');
  const theirs = join(folder, 'age.age');
  const ssl = join(folder, 'openssl.bin');

  // The ciphertexts the decryptions read, made once and page-cached.
  await ours('encrypt', bigInput, ours1, recipient);
  execFileSync('age', ['-r', recipient, '-o', theirs, bigInput]);
  execFileSync('openssl', ['enc', '-aes-256-ctr', '-K', aesKey, '-iv', aesIv, '-in', bigInput, '-out', ssl]);
  execFileSync('sh', ['-c', `cat '${ours1}' '${theirs}' '${ssl}' > /dev/null`]);

  const runs = {
    cp: () => measure('cp', [bigInput, out]),
    // The same copy in 128 KiB writes, as our jobs write: this VM is sometimes slow to fill the large
    // page-cache folios that cp's large writes get (docs/performance.md).
    'dd, 128 KiB writes': () => measure('dd', [`if=${bigInput}`, `of=${out}`, 'bs=128K', 'status=none']),
    'age encrypt': () => measure('age', ['-r', recipient, '-o', out, bigInput]),
    'kwqm encrypt': () => ours('encrypt', bigInput, out, recipient),
    'openssl aes-256-ctr enc': () =>
      measure('openssl', ['enc', '-aes-256-ctr', '-K', aesKey, '-iv', aesIv, '-in', bigInput, '-out', out]),
    'age decrypt': () => measure('age', ['-d', '-i', keyFile, '-o', out, theirs]),
    'kwqm decrypt': () => ours('decrypt', ours1, out, identity),
    'openssl aes-256-ctr dec': () =>
      measure('openssl', ['enc', '-d', '-aes-256-ctr', '-K', aesKey, '-iv', aesIv, '-in', ssl, '-out', out]),
  };
  // --only "kwqm encrypt,age encrypt": time just those tools (the comparison rows need age's).
  const wanted = values.only
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of Object.keys(runs)) {
    if (wanted.length > 0 && !wanted.includes(name)) delete runs[name];
  }
  const results = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
  // One untimed pass first (the first writes after making the inputs run slow here), then the
  // timed ones. Interleaved: a burst of load on the shared machine hits every tool alike; and the
  // order is shuffled each pass (seeded), so no tool always runs right after the same one (this
  // VM's disk still works off the previous tool's 1 GiB for a while after `sync` returns). Before
  // every run the inputs are read again, so one the kernel dropped from the cache (this VM
  // reclaims cold pages) is cached again for whichever tool comes next.
  const names = Object.keys(runs);
  const warmInputs = () =>
    execFileSync('sh', ['-c', `cat '${bigInput}' '${ours1}' '${theirs}' '${ssl}' > /dev/null`]);
  const prepare = () => {
    rmSync(out, { force: true });
    warmInputs();
    execFileSync('sync');
  };
  for (const name of names) {
    prepare();
    await runs[name]();
  }
  let seed = 0x6b77716d;
  const nextRandom = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let pass = 0; pass < PASSES; pass += 1) {
    const order = [...names];
    for (let index = order.length - 1; index > 0; index -= 1) {
      const other = Math.floor(nextRandom() * (index + 1));
      [order[index], order[other]] = [order[other], order[index]];
    }
    for (const [name, run] of order.map((name) => [name, runs[name]])) {
      prepare();
      const result = await run();
      results[name].push(
        name.startsWith('kwqm') ? { ...result, syncedMs: result.ms } : await withSync(result, out),
      );
      if (name.startsWith('kwqm')) {
        // The same run timed inside the process: what a job costs in an already running worker.
        const inWorker = `${name} (operation only)`;
        results[inWorker] ??= [];
        results[inWorker].push({
          ms: result.operationMs,
          syncedMs: result.operationMs,
          peakKiB: result.peakKiB,
        });
      }
    }
  }
  rmSync(out, { force: true });

  const summary = Object.fromEntries(
    Object.entries(results).map(([name, list]) => [
      name,
      {
        rate: mibPerSecond(median(list.map((r) => r.ms))),
        syncedRate: mibPerSecond(median(list.map((r) => r.syncedMs))),
        peakMiB: Math.max(...list.map((r) => r.peakKiB)) / 1024,
      },
    ]),
  );
  const cp = summary.cp;
  console.log(
    `\n### ${SIZE_MIB} MiB, page-cached input, output in ${values.dir}; median of ${PASSES} passes\n`,
  );
  console.log(
    '| tool | MiB/s | MiB/s incl. fsync | each pass, incl. fsync | peak RSS MiB | vs age (incl. fsync) | vs cp (incl. fsync) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, row] of Object.entries(summary)) {
    const peer =
      name.includes('decrypt') || name.endsWith('dec') ? summary['age decrypt'] : summary['age encrypt'];
    const vsAge =
      COPIES.has(name) || peer === undefined ? '' : `${(row.syncedRate / peer.syncedRate).toFixed(2)}×`;
    const vsCp = cp === undefined ? '' : `${(row.syncedRate / cp.syncedRate).toFixed(2)}×`;
    const passes = results[name].map((r) => mibPerSecond(r.syncedMs).toFixed(0)).join(' / ');
    console.log(
      `| ${name} | ${row.rate.toFixed(0)} | ${row.syncedRate.toFixed(0)} | ${passes} | ${row.peakMiB.toFixed(1)} | ${vsAge} | ${vsCp} |`,
    );
  }
  console.log(
    '\n(kwqm always fsyncs before publishing its output, so its two MiB/s columns are the same figure. A kwqm row is a' +
      ' fresh `node` process from spawn to exit, including node start-up and importing the package; "operation only"' +
      ' is the same run timed inside that process: what a job costs in a running worker.)',
  );

  if (wanted.length > 0) return;

  // RSS must not grow with the file: 64 MiB vs the full size. A process's peak moves by about
  // 1 MiB from run to run (garbage collection timing), so each figure is the median of 3 runs.
  const smallEnc = join(folder, 'small.age');
  await ours('encrypt', smallInput, smallEnc, recipient);
  const rss = {};
  for (const [label, input, cipher] of [
    [`${SMALL_MIB} MiB`, smallInput, smallEnc],
    [`${SIZE_MIB} MiB`, bigInput, ours1],
  ]) {
    const peaks = { encrypt: [], decrypt: [] };
    for (let run = 0; run < 3; run += 1) {
      peaks.encrypt.push((await ours('encrypt', input, out, recipient)).peakKiB / 1024);
      peaks.decrypt.push((await ours('decrypt', cipher, out, identity)).peakKiB / 1024);
    }
    rss[label] = { encrypt: median(peaks.encrypt), decrypt: median(peaks.decrypt) };
  }
  rmSync(out, { force: true });
  console.log('\n### kwqm peak RSS by file size (MiB, median of 3 runs)\n');
  console.log(
    `| operation | ${Object.keys(rss).join(' | ')} | growth | verdict (flat within 10%, <= 128 MiB) |`,
  );
  console.log('|---|---:|---:|---:|---|');
  for (const operation of ['encrypt', 'decrypt']) {
    const [small, big] = Object.values(rss).map((row) => row[operation]);
    const growth = big / small - 1;
    const ok = growth <= 0.1 && big <= 128;
    console.log(
      `| ${operation} | ${small.toFixed(1)} | ${big.toFixed(1)} | ${(growth * 100).toFixed(1)}% | ${ok ? 'PASS' : 'FAIL'} |`,
    );
  }

  await twoFilesAtOnce(folder, 'output on the disk', { bigInput, smallInput, recipient, warmInputs });
  // The same pairs with their outputs in memory (tmpfs): what the queue's two workers give when the
  // disk is not the limit. The input stays the page-cached file above.
  const memoryFolder = memoryOutputFolder();
  if (memoryFolder === undefined) return;
  try {
    await twoFilesAtOnce(memoryFolder, `output in ${values['memory-dir']} (tmpfs)`, {
      bigInput,
      smallInput,
      recipient,
      warmInputs,
    });
  } finally {
    rmSync(memoryFolder, { recursive: true, force: true });
  }
}

try {
  await main();
} finally {
  rmSync(folder, { recursive: true, force: true });
}
