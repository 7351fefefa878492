#!/usr/bin/env node
// Startup time of the built CLI: `kwqm --version` against a bare `node -e 0`, interleaved in the
// same run so machine noise hits both alike. Target (issue 5): under 2x. Prints medians and the
// ratio; asserts nothing (speed goals live here, not in tests).
//
//   node bench/startup.bench.mjs [--runs 20]

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, sampleInterleaved } from './interleaved-runs.mjs';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag === -1 ? 20 : Number(process.argv[runsFlag + 1]);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`Expected \`--runs\` to be an integer >= 1, got \`${process.argv[runsFlag + 1]}\``);
  process.exit(2);
}
const bin = fileURLToPath(new URL('../bin/kwqm.js', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/cli.js', import.meta.url)))) {
  console.error('Build first: npx tsup (in packages/cli)');
  process.exit(2);
}

const peers = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'kwqm --version': [process.execPath, [bin, '--version']],
  'kwqm --help': [process.execPath, [bin, '--help']],
};

function timeOnce([command, args]) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

// One warm-up each (page cache), then interleaved runs.
const samples = sampleInterleaved(peers, runs, timeOnce, 1);

const baseline = median(samples['node -e 0']);
console.log(`kwqm startup, median of ${runs} runs each (Node ${process.version})\n`);
console.log('| command | median ms | ratio to node -e 0 |');
console.log('|---|---:|---:|');
for (const [name, values] of Object.entries(samples)) {
  console.log(`| \`${name}\` | ${median(values).toFixed(1)} | ${(median(values) / baseline).toFixed(2)}x |`);
}
const ratio = median(samples['kwqm --version']) / baseline;
console.log(
  `\nkwqm --version / node -e 0 = ${ratio.toFixed(2)}x (target < 2x): ${ratio < 2 ? 'met' : 'NOT met'}`,
);
