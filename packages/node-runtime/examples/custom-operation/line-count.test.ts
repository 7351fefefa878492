import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KwqmError, type OperationDefinition } from '@kwqm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKwqmQueue } from '../../src/create-kwqm-queue.js';

type LineCount = {
  readonly 'line-count': OperationDefinition<{ input: string }, { lines: number; bytes: number }>;
};

let folder: string;
const queue = createKwqmQueue<LineCount>({
  workers: 2,
  operations: [new URL('./line-count-operation.mjs', import.meta.url)],
});
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kwqm-example-'));
});
afterAll(async () => {
  await queue.close();
  await rm(folder, { recursive: true, force: true });
});

// Real threads and processes on a shared machine: generous timeouts; nothing here asserts time.
describe('the custom operation example', { timeout: 30_000 }, () => {
  it('counts lines on worker threads as `wc -l` does', async () => {
    const input = join(folder, 'poem.txt');
    const text = `${'a line of text\n'.repeat(150_000)}no newline at the end`;
    await writeFile(input, text);
    const result = await (await queue.submit({ operation: 'line-count', params: { input } })).result;
    const wc = Number.parseInt(execFileSync('wc', ['-l', input], { encoding: 'utf8' }), 10);
    expect(result).toEqual({ lines: wc, bytes: Buffer.byteLength(text) });
  });

  it('gets the shared input checks and typed errors across the thread', async () => {
    const missing = await queue.submit({
      operation: 'line-count',
      params: { input: join(folder, 'missing') },
    });
    const error = await missing.result.catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(KwqmError);
    expect((error as KwqmError).code).toBe('ENOENT');
    const bad = await queue.submit({ operation: 'line-count', params: { input: 7 as unknown as string } });
    expect(((await bad.result.catch((rejection: unknown) => rejection)) as KwqmError).code).toBe(
      'INVALID_JOB',
    );
  });

  it('runs from the command line', () => {
    const input = join(folder, 'cli.txt');
    execFileSync('sh', ['-c', `printf 'one\\ntwo\\n' > '${input}'`]);
    const output = execFileSync(process.execPath, [new URL('./main.mjs', import.meta.url).pathname, input], {
      encoding: 'utf8',
    });
    const digest = createHash('sha256').update('one\ntwo\n').digest('hex');
    expect(output).toBe(`${input}: 2 lines, 8 bytes, sha256 ${digest}\n`);
  });
});
