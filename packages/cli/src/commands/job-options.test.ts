import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KwqmError } from '@kwqm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processContext } from '../cli-context.js';
import { readJobOptions } from './job-options.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kwqm-job-options-'));
  await writeFile(join(dir, 'existing.txt'), 'x');
  execFileSync('mkfifo', [join(dir, 'fifo')]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const context = () => ({ ...processContext(), cwd: dir });
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return KwqmError.is(error) ? error.code : 'not a KwqmError';
  }
};

describe('readJobOptions', () => {
  it.skipIf(process.platform === 'win32')(
    'refuses -o naming a FIFO or a device, with or without --force, and leaves it alone',
    async () => {
      for (const force of [false, true]) {
        expect(codeOf(() => readJobOptions(context(), { output: 'fifo', force }, ['a.txt']))).toBe(
          'INVALID_OPTION',
        );
        expect(codeOf(() => readJobOptions(context(), { output: '/dev/null', force }, ['a.txt']))).toBe(
          'INVALID_OPTION',
        );
      }
      expect((await stat(join(dir, 'fifo'))).isFIFO()).toBe(true);
    },
  );

  it('accepts -o naming a new or an existing regular file, and -o - for standard output', () => {
    expect(readJobOptions(context(), { output: 'new.txt' }, ['a.txt']).output).toBe(join(dir, 'new.txt'));
    expect(readJobOptions(context(), { output: 'existing.txt', force: true }, ['a.txt']).overwrite).toBe(
      true,
    );
    expect(codeOf(() => readJobOptions(context(), { output: '-' }, ['a.txt']))).toBeUndefined();
  });
});
