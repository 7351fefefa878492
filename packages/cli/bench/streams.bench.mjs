#!/usr/bin/env node
// Streams through pipes: `kwqm encrypt` / `kwqm decrypt` against the reference `age` on the same
// piped input, interleaved in the same run. Prints median wall time, throughput and peak RSS
// (GNU time's %M): the peak must stay flat whatever the size (a stream is never buffered whole).
// Asserts nothing (speed goals live here, not in tests). Needs /usr/bin/age, age-keygen, /usr/bin/time.
//
//   node bench/streams.bench.mjs [--mib 1024] [--runs 3]

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, sampleInterleaved } from './interleaved-runs.mjs';

function flag(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`Expected \`--${name}\` to be an integer >= 1, got \`${process.argv[index + 1]}\``);
    process.exit(2);
  }
  return value;
}
const mib = flag('mib', 1024);
const runs = flag('runs', 3);
const bin = fileURLToPath(new URL('../bin/kwqm.js', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/cli.js', import.meta.url)))) {
  console.error('Build first: npx tsup (in packages/cli)');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'kwqm-streams-bench-'));
try {
  const key = join(dir, 'key.txt');
  execFileSync('age-keygen', ['-o', key], { stdio: 'ignore' });
  const recipient = execFileSync('age-keygen', ['-y', key], { encoding: 'utf8' }).trim();
  const sample = join(dir, 'sample.age');
  const bytes = mib * 1024 * 1024;
  execFileSync('bash', ['-c', `head -c ${bytes} /dev/zero | age -r ${recipient} > ${sample}`]);
  const kwqm = `'${process.execPath}' '${bin}'`;
  const peers = {
    'age -r (encrypt)': `head -c ${bytes} /dev/zero | /usr/bin/time -f %M -o ${dir}/rss age -r ${recipient} > /dev/null`,
    'kwqm encrypt -r': `head -c ${bytes} /dev/zero | /usr/bin/time -f %M -o ${dir}/rss ${kwqm} encrypt -r ${recipient} > /dev/null`,
    'age -d (decrypt)': `/usr/bin/time -f %M -o ${dir}/rss age -d -i ${key} < ${sample} > /dev/null`,
    'kwqm decrypt -i': `/usr/bin/time -f %M -o ${dir}/rss ${kwqm} decrypt -i ${key} < ${sample} > /dev/null`,
  };
  const timeOnce = (script) => {
    const start = process.hrtime.bigint();
    const result = spawnSync('bash', ['-c', `set -o pipefail; ${script}; cat ${dir}/rss`], {
      encoding: 'utf8',
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${script} exited ${result.status}: ${result.stderr}`);
    return { ms, rssKiB: Number(result.stdout.trim().split('\n').at(-1)) };
  };
  const samples = sampleInterleaved(peers, runs, timeOnce);
  console.log(`Piped streams of ${mib} MiB, median of ${runs} runs each (Node ${process.version})\n`);
  console.log('| command | median s | MiB/s | peak RSS MiB | time ratio to age |');
  console.log('|---|---:|---:|---:|---:|');
  const seconds = (name) => median(samples[name].map((sample) => sample.ms)) / 1000;
  for (const name of Object.keys(peers)) {
    const s = seconds(name);
    const rss = median(samples[name].map((sample) => sample.rssKiB)) / 1024;
    const reference = name.startsWith('kwqm encrypt')
      ? 'age -r (encrypt)'
      : name.startsWith('kwqm decrypt')
        ? 'age -d (decrypt)'
        : name;
    console.log(
      `| \`${name}\` | ${s.toFixed(2)} | ${(mib / s).toFixed(0)} | ${rss.toFixed(1)} | ${(s / seconds(reference)).toFixed(2)}x |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
