// Reads the log of `npm test` and prints one closing line with the totals of every test runner
// in it (vitest's "Tests  N passed | M failed" lines and node:test's "ℹ pass N" / "ℹ fail N"),
// so a reader of CI output sees the whole run's count, not only the last package's.
import { readFileSync } from 'node:fs';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape starts ANSI colour codes, stripped here
const text = readFileSync(process.argv[2], 'utf8').replace(/\u001b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of text.split('\n')) {
  const vitest = /^\S*\s*Tests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (vitest) {
    passed += Number(/(\d+) passed/.exec(vitest[1])?.[1] ?? 0);
    failed += Number(/(\d+) failed/.exec(vitest[1])?.[1] ?? 0);
    skipped += Number(/(\d+) skipped/.exec(vitest[1])?.[1] ?? 0);
    continue;
  }
  const nodePass = /^\S*\s*ℹ pass (\d+)\s*$/.exec(line);
  if (nodePass) passed += Number(nodePass[1]);
  const nodeFail = /^\S*\s*ℹ fail (\d+)\s*$/.exec(line);
  if (nodeFail) failed += Number(nodeFail[1]);
  const nodeSkip = /^\S*\s*ℹ skipped (\d+)\s*$/.exec(line);
  if (nodeSkip) skipped += Number(nodeSkip[1]);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
