import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../cli-context.js';
import { createColors } from '../output/colors.js';
import { keyFilePaths, readStreamPlan, type StreamPlanRules } from './stream-plan.js';

function contextWith(stdoutIsTTY: boolean, cwd = '/work'): CliContext {
  const colors = createColors(false);
  return {
    stdout: { isTTY: stdoutIsTTY } as NodeJS.WriteStream,
    stderr: process.stderr,
    stdin: process.stdin,
    env: {},
    cwd,
    out: colors,
    err: colors,
    now: () => 0,
  };
}

const binary: StreamPlanRules = { defaultOutput: 'stdout', binary: true };
const text: StreamPlanRules = { defaultOutput: 'stdout', binary: false };

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('readStreamPlan', () => {
  const pipe = contextWith(false);

  it('refuses an empty FILE or -o name instead of resolving it to the working folder', () => {
    expect(codeOf(() => readStreamPlan(pipe, {}, [''], text))).toBe('INVALID_OPTION');
    expect(codeOf(() => readStreamPlan(pipe, {}, ['a.txt', ''], text))).toBe('INVALID_OPTION');
    expect(codeOf(() => readStreamPlan(pipe, { output: '' }, ['a.txt'], text))).toBe('INVALID_OPTION');
  });

  it('leaves files without `-` or `-o -` to the queue', () => {
    expect(readStreamPlan(pipe, {}, ['a.txt'], binary)).toBeUndefined();
    expect(readStreamPlan(pipe, { output: 'b' }, ['a.txt'], binary)).toBeUndefined();
  });

  it('reads standard input for `-` or no FILE, to standard output or the -o file', () => {
    const stdout = { kind: 'stdout' };
    expect(readStreamPlan(pipe, {}, [], binary)).toEqual({
      file: '-',
      inputPath: undefined,
      inputIsPipe: false,
      output: stdout,
      explicitStdout: false,
    });
    expect(readStreamPlan(pipe, {}, ['-'], binary)?.output).toEqual(stdout);
    expect(readStreamPlan(pipe, { output: 'x.gz' }, ['-'], binary)?.output).toEqual({
      kind: 'file',
      path: '/work/x.gz',
    });
    expect(readStreamPlan(pipe, {}, [], { defaultOutput: 'none', binary: false })?.output).toEqual({
      kind: 'none',
    });
  });

  it('streams a FILE to standard output with -o -', () => {
    expect(readStreamPlan(pipe, { output: '-' }, ['a.txt'], binary)).toEqual({
      file: 'a.txt',
      inputPath: '/work/a.txt',
      inputIsPipe: false,
      output: { kind: 'stdout' },
      explicitStdout: true,
    });
  });

  it('refuses binary output on a terminal unless -o - says so', () => {
    const terminal = contextWith(true);
    expect(codeOf(() => readStreamPlan(terminal, {}, [], binary))).toBe('INVALID_OPTION');
    expect(readStreamPlan(terminal, { output: '-' }, [], binary)?.output).toEqual({ kind: 'stdout' });
    expect(readStreamPlan(terminal, {}, [], text)?.output).toEqual({ kind: 'stdout' });
  });

  it('refuses `-` twice or with other files, -o - with several files, and the daemon', () => {
    expect(codeOf(() => readStreamPlan(pipe, {}, ['-', '-'], text))).toBe('INVALID_OPTION');
    expect(codeOf(() => readStreamPlan(pipe, {}, ['a', '-'], text))).toBe('INVALID_OPTION');
    expect(codeOf(() => readStreamPlan(pipe, { output: '-' }, ['a', 'b'], text))).toBe('INVALID_OPTION');
    expect(codeOf(() => readStreamPlan(pipe, { detach: true }, [], text))).toBe('INVALID_OPTION');
    expect(codeOf(() => readStreamPlan(pipe, { daemon: true, output: '-' }, ['a'], text))).toBe(
      'INVALID_OPTION',
    );
    // Not a stream: the queue flags keep their meaning.
    expect(readStreamPlan(pipe, { detach: true }, ['a'], text)).toBeUndefined();
  });
});

describe('keyFilePaths', () => {
  const pipe = contextWith(false);

  it('maps `-` to /dev/stdin once, when standard input is free', () => {
    expect(keyFilePaths(pipe, ['-', 'k.txt'], '-i', false)).toEqual(['/dev/stdin', '/work/k.txt']);
    expect(codeOf(() => keyFilePaths(pipe, ['-', '-'], '-i', false))).toBe('INVALID_OPTION');
    expect(codeOf(() => keyFilePaths(pipe, ['-'], '-R', true))).toBe('INVALID_OPTION');
  });
});

describe('readStreamPlan with a pipe as FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kwqm-plan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  writeFileSync(join(dir, 'a.txt'), 'a');
  const context = contextWith(false, dir);

  it('reads a FIFO (a process substitution `<(cmd)`) in this process, to standard output by default', () => {
    expect(readStreamPlan(context, {}, ['fifo'], text)).toEqual({
      file: 'fifo',
      inputPath: join(dir, 'fifo'),
      inputIsPipe: true,
      output: { kind: 'stdout' },
      explicitStdout: false,
    });
    expect(readStreamPlan(context, { output: 'out.age' }, ['fifo'], binary)?.output).toEqual({
      kind: 'file',
      path: join(dir, 'out.age'),
    });
    expect(readStreamPlan(context, {}, ['/dev/null'], text)?.inputIsPipe).toBe(true);
    expect(readStreamPlan(context, {}, ['a.txt'], text)).toBeUndefined();
  });

  it('leaves a path it cannot look at (a symbolic link loop, a missing file) to its job', () => {
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    expect(readStreamPlan(context, {}, ['loop-a'], text)).toBeUndefined();
    expect(readStreamPlan(context, {}, ['missing', 'loop-a'], text)).toBeUndefined();
  });

  it('refuses a pipe beside other files, --detach with one, and binary output of one to a terminal', () => {
    expect(codeOf(() => readStreamPlan(context, {}, ['a.txt', 'fifo'], text))).toBe('INVALID_OPTION');
    expect(codeOf(() => readStreamPlan(context, { detach: true }, ['fifo'], text))).toBe('INVALID_OPTION');
    expect(codeOf(() => readStreamPlan(contextWith(true, dir), {}, ['fifo'], binary))).toBe('INVALID_OPTION');
  });
});
