import { describe, expect, it } from 'vitest';
import type { CliContext } from '../cli-context.js';
import { createColors } from '../output/colors.js';
import { keyFilePaths, readStreamPlan, type StreamPlanRules } from './stream-plan.js';

function contextWith(stdoutIsTTY: boolean): CliContext {
  const colors = createColors(false);
  return {
    stdout: { isTTY: stdoutIsTTY } as NodeJS.WriteStream,
    stderr: process.stderr,
    stdin: process.stdin,
    env: {},
    cwd: '/work',
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
