import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './run-kwqm.js';
import { runShell } from './run-shell.js';

// More files than the process may hold open at once: the checks made before a passphrase is used
// (decrypt's header peeks, the refusal of files whose job could only fail) must not open them all.

let sandbox: Sandbox;
let cwd: string;
const FILES = 600;
beforeAll(async () => {
  sandbox = await createSandbox();
  cwd = join(sandbox.dir, 'work');
  for (let index = 0; index < FILES; index++) await writeFile(join(cwd, `f${index}.txt`), `file ${index}\n`);
});
afterAll(() => sandbox.cleanup());

it('encrypts and decrypts 600 files with a passphrase under a limit of 256 open files', async () => {
  const env = { ...sandbox.env, KWQM_PASSPHRASE: 'many files' };
  const encrypted = await runShell('ulimit -n 256 && kwqm encrypt --embedded --work-factor 1 --json f*.txt', {
    cwd,
    env,
  });
  expect(encrypted.stderr).toBe('');
  expect(encrypted.code).toBe(0);
  const states = (JSON.parse(encrypted.stdout.toString()) as { jobs: { state: string }[] }).jobs.map(
    (job) => job.state,
  );
  expect(states).toEqual(new Array(FILES).fill('succeeded'));
  for (let index = 0; index < FILES; index++) await rm(join(cwd, `f${index}.txt`));
  const decrypted = await runShell('ulimit -n 256 && kwqm decrypt --embedded --json f*.txt.age', {
    cwd,
    env,
  });
  expect(decrypted.code).toBe(0);
  expect(await readFile(join(cwd, `f${FILES - 1}.txt`), 'utf8')).toBe(`file ${FILES - 1}\n`);
});
