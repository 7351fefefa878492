#!/usr/bin/env node
// The README's first command ends here (`npm run demo` builds first, then runs this): a real
// job through the built `kwqm` binary. It writes a temp file, encrypts it to the age format with
// a passphrase, shows the age header, decrypts it back, compares the bytes, and cleans up.
//
// The passphrase comes from KWQM_PASSPHRASE when set, else a random one is written to a 0600
// file in the temp folder and passed with --passphrase-file (a terminal prompt would stop an
// unattended run). Jobs run in-process (--embedded) so the demo never touches a running daemon.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../packages/cli/bin/kwqm.js', import.meta.url));
const built = fileURLToPath(new URL('../packages/cli/dist/cli.js', import.meta.url));
if (!existsSync(built)) {
  console.error('kwqm is not built yet: run `npm run demo` (it builds first) or `npm run build`.');
  process.exit(1);
}

const say = (text = '') => console.log(text);
const indent = (text) => `${text.trimEnd().replace(/^/gm, '  ')}\n`;
const step = (text) => say(`\n== ${text}`);

function kwqm(args, cwd) {
  say(`$ kwqm ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: process.env });
  if (result.stdout) process.stdout.write(indent(result.stdout));
  if (result.stderr) process.stdout.write(indent(result.stderr));
  if (result.status !== 0) throw new Error(`kwqm ${args[0]} exited with status ${result.status}`);
}

const dir = await mkdtemp(join(tmpdir(), 'kwqm-demo-'));
try {
  step('1. A file to protect');
  const original = Buffer.from(
    Array.from(
      { length: 2000 },
      (_, line) => `line ${line + 1}: the quick brown fox jumps over the lazy dog\n`,
    ).join(''),
  );
  await writeFile(join(dir, 'notes.txt'), original);
  say(`wrote ${join(dir, 'notes.txt')} (${original.length} bytes)`);

  const passphraseArgs = [];
  if (process.env.KWQM_PASSPHRASE) {
    say('using the passphrase in KWQM_PASSPHRASE');
  } else {
    await writeFile(join(dir, 'passphrase.txt'), `${randomBytes(12).toString('base64url')}\n`, {
      mode: 0o600,
    });
    passphraseArgs.push('--passphrase-file', 'passphrase.txt');
    say('a random passphrase went to passphrase.txt (on a terminal, kwqm would ask for one, twice, hidden)');
  }

  step('2. Encrypt it: a job on the queue, run on a worker thread');
  kwqm(['encrypt', '--embedded', ...passphraseArgs, 'notes.txt'], dir);

  step('3. The result is a standard age v1 file; its header:');
  const encrypted = await readFile(join(dir, 'notes.txt.age'));
  const headerEnd = encrypted.indexOf('\n---');
  const header = encrypted.subarray(0, encrypted.indexOf('\n', headerEnd + 1) + 1).toString('latin1');
  process.stdout.write(indent(header));
  say(
    `  …then ${encrypted.length - header.length} bytes of ChaCha20-Poly1305 payload (any age tool opens it: age -d notes.txt.age)`,
  );

  step('4. Decrypt it back');
  kwqm(['decrypt', '--embedded', ...passphraseArgs, '-o', 'notes.decrypted.txt', 'notes.txt.age'], dir);

  step('5. Compare');
  const roundTrip = await readFile(join(dir, 'notes.decrypted.txt'));
  if (!roundTrip.equals(original)) throw new Error('The decrypted bytes differ from the original');
  kwqm(['hash', '--embedded', 'notes.txt', 'notes.decrypted.txt'], dir);
  say('identical: the file went through encryption and back byte for byte.');

  step('Next');
  say('  npx kwqm --help              every command');
  say('  npx kwqm keygen -o key.txt   an age identity; encrypt to it with -r age1…');
  say('  npx kwqm daemon start        a per-user queue: --detach, list, priority, watch');
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
  say(`\n(cleaned up ${dir})`);
}
