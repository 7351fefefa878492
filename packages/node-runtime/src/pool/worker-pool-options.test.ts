import { describe, expect, it } from 'vitest';
import { workerExecArgv } from './worker-pool-options.js';

describe('workerExecArgv', () => {
  it("keeps the parent's Node options but not those that describe the main script", () => {
    expect(workerExecArgv(['--input-type', 'module', '-e', 'code()', '--enable-source-maps'])).toEqual([
      '--enable-source-maps',
    ]);
    expect(
      workerExecArgv(['--input-type=commonjs', '--eval=code()', '--max-old-space-size=512', '-p', 'x']),
    ).toEqual(['--max-old-space-size=512']);
    expect(workerExecArgv(['-e', 'code()', '--conditions', 'development', '--no-warnings'])).toEqual([
      '--conditions',
      'development',
      '--no-warnings',
    ]);
  });

  it('leaves the options to Node when none describes the main script, so V8 flags like --expose-gc still work', () => {
    expect(workerExecArgv(['--expose-gc', '--max-semi-space-size=64'])).toBeUndefined();
    expect(workerExecArgv(['--conditions', 'development', '--no-warnings'])).toBeUndefined();
    expect(workerExecArgv([])).toBeUndefined();
  });
});
