import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const bundlePath = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const sourceRoot = fileURLToPath(new URL('../src', import.meta.url));

function newestSource(directory: string): number {
  return Math.max(
    ...readdirSync(directory, { withFileTypes: true }).map((entry) => {
      const path = join(directory, entry.name);
      return entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    }),
  );
}

// The ECMAScript globals a bare V8 context already has, plus only what core is allowed to touch.
// No process, Buffer, setTimeout, queueMicrotask, console, URL, TextEncoder, window or document.
function bareContext(): vm.Context {
  const context = vm.createContext({ AbortController, AbortSignal, EventTarget, Event });
  expect(vm.runInContext('typeof process + typeof Buffer + typeof setTimeout + typeof window', context)).toBe(
    'undefinedundefinedundefinedundefined',
  );
  return context;
}

/**
 * Evaluates the ESM bundle inside `context` without `--experimental-vm-modules`: the bundle must
 * be one self-contained module with no imports and a single trailing `export { … }` clause, which
 * becomes the function's return value.
 */
function loadEsmBundle(source: string, context: vm.Context): Record<string, unknown> {
  expect(source).not.toMatch(/^\s*import[\s{*]/m);
  const exportClause = /^export\s*\{([^}]*)\};?\s*$/m;
  const match = exportClause.exec(source);
  if (match === null) throw new Error('no trailing export clause in the bundle');
  const entries = (match[1] as string)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [local, exported = local] = entry.split(/\s+as\s+/);
      return `${JSON.stringify(exported)}: ${local}`;
    });
  const body = source.replace(exportClause, `return { ${entries.join(', ')} };`);
  expect(body).not.toMatch(/^\s*export\s/m);
  return vm.compileFunction(body, [], { parsingContext: context })() as Record<string, unknown>;
}

describe('the built bundle', () => {
  beforeAll(() => {
    // turbo runs `build` before `test`. A lone `vitest run` builds only when dist is missing or
    // older than src, so a fresh dist that other packages' tests are reading is left alone.
    if (!existsSync(bundlePath) || newestSource(sourceRoot) > statSync(bundlePath).mtimeMs) {
      execFileSync('npx', ['tsup', '--silent'], { cwd: packageRoot, stdio: 'ignore' });
    }
  }, 120_000);

  it('runs a real queue to completion without Node globals', async () => {
    const context = bareContext();
    context.core = loadEsmBundle(readFileSync(bundlePath, 'utf8'), context);
    const script = `
      (async () => {
        const { WorkQueue, ManualClock, functionExecutor, KwqmError } = core;
        const clock = new ManualClock(0);
        const order = [];
        const queue = new WorkQueue({
          clock,
          concurrency: 2,
          capacity: 2,
          maxWaitingProducers: 5,
          agingMs: 50,
          executor: functionExecutor({
            square: async (n, { reportProgress, signal }) => {
              reportProgress({ done: n });
              if (signal.aborted) throw new KwqmError('CANCELED', 'stopped');
              order.push(n);
              return n * n;
            },
            fail: async () => { throw new Error('nope'); },
          }),
        });
        const handles = [];
        for (let n = 1; n <= 8; n++) {
          handles.push(queue.submit({ operation: 'square', params: n, priority: n % 2 ? 'low' : 'high' }));
        }
        const failing = queue.submit({ operation: 'fail', params: null });
        clock.advance(100);
        const results = await Promise.all(handles.map((pending) => pending.then((handle) => handle.result)));
        const failure = await (await failing).result.catch((error) => error.code);
        await queue.close();
        const closed = await queue.submit({ operation: 'square', params: 1 }).catch((error) => error.code);
        return { results, failure, closed, finished: queue.list({ includeFinished: true }).length, order };
      })()
    `;
    const outcome = await vm.runInContext(script, context);
    expect(outcome.results).toEqual([1, 4, 9, 16, 25, 36, 49, 64]);
    expect(outcome.failure).toBe('OPERATION_FAILED');
    expect(outcome.closed).toBe('QUEUE_CLOSED');
    expect(outcome.finished).toBe(9);
    expect([...outcome.order].sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('loads the CommonJS bundle the same way, with nothing but module and exports', () => {
    const context = bareContext();
    const module = { exports: {} as Record<string, unknown> };
    const source = readFileSync(bundlePath.replace(/\.js$/, '.cjs'), 'utf8');
    vm.compileFunction(source, ['module', 'exports'], { parsingContext: context })(module, module.exports);
    expect(typeof module.exports.WorkQueue).toBe('function');
    expect(typeof module.exports.KwqmError).toBe('function');
  });

  it("keeps the exported classes' names in both builds (Node prints them for an uncaught error)", () => {
    const esm = loadEsmBundle(readFileSync(bundlePath, 'utf8'), bareContext());
    const module = { exports: {} as Record<string, unknown> };
    const source = readFileSync(bundlePath.replace(/\.js$/, '.cjs'), 'utf8');
    vm.compileFunction(source, ['module', 'exports'], { parsingContext: bareContext() })(
      module,
      module.exports,
    );
    for (const exports of [esm, module.exports]) {
      const classes = Object.entries(exports).filter(
        ([, value]) =>
          typeof value === 'function' &&
          /^[A-Z]/.test(String((value as { name: string }).name).replace(/^_+/, '')),
      );
      expect(classes.map(([name]) => name)).toContain('KwqmError');
      for (const [name, value] of classes) expect((value as { name: string }).name).toBe(name);
    }
  });
});
