import { availableParallelism } from 'node:os';
import { defaultWorkerUrl } from './default-worker-url.js';
import {
  checkKnownKeys,
  checkOptionalInteger,
  checkOptionalObject,
  checkOptionalUrl,
  checkOptionalUrlList,
} from './option-checks.js';

/** Options of a `WorkerPool`. All are validated when the pool is made (`INVALID_OPTION`). */
export interface WorkerPoolOptions {
  /** Number of worker threads, each running one job at a time. Started lazily. @default os.availableParallelism() */
  readonly size?: number;
  /**
   * The worker entry. Override it when you bundle this package: point it at the emitted copy of
   * `@kwqm/node-runtime/worker` (see docs/guides/bundling.md).
   * @default new URL('./worker.js', import.meta.url) of the built package
   */
  readonly workerUrl?: URL | string;
  /** Custom operation modules every worker `import()`s (see docs/guides/custom-operations.md). @default [] */
  readonly operations?: readonly (URL | string)[];
  /**
   * How long a canceled job's operation may take to stop after its signal aborts, in ms; past
   * it the worker is terminated and replaced. `0` terminates at once. @default 2000
   */
  readonly cancelGracePeriodMs?: number;
  /** V8 heap limits per worker; a worker that runs out fails its job with `WORKER_CRASHED`. @default Node's defaults */
  readonly resourceLimits?: {
    readonly maxOldGenerationSizeMb?: number;
    readonly maxYoungGenerationSizeMb?: number;
    readonly stackSizeMb?: number;
  };
}

const OPTION_NAMES = ['size', 'workerUrl', 'operations', 'cancelGracePeriodMs', 'resourceLimits'] as const;

/** Options after validation and defaults. */
export interface ResolvedWorkerPoolOptions {
  readonly size: number;
  readonly workerUrl: URL;
  readonly operationModules: readonly string[];
  readonly cancelGracePeriodMs: number;
  readonly resourceLimits: WorkerPoolOptions['resourceLimits'];
  /** The parent's Node options minus those that only describe the main script; `undefined` to inherit them as they are (see {@link workerExecArgv}). */
  readonly execArgv: readonly string[] | undefined;
}

/** Options that say how to read the main script, each with a separate value unless written `--x=value`. */
const MAIN_SCRIPT_OPTIONS = new Set(['--input-type', '-e', '--eval', '-p', '--print']);

/**
 * The Node options for worker threads: the parent's, as Node's default, minus those that describe
 * the main script. Workers inherit `process.execArgv`, and a worker started from a process run as
 * `node --input-type=module -e …` otherwise dies at start (ERR_INPUT_TYPE_NOT_ALLOWED). Returns
 * `undefined` when nothing needs removing: Node then inherits the options itself, whereas an
 * explicit list is checked and refused if it holds a process-wide V8 flag (`--expose-gc`,
 * `--max-semi-space-size`, …) that a parent may well have been started with.
 */
export function workerExecArgv(parent: readonly string[] = process.execArgv): string[] | undefined {
  const kept: string[] = [];
  for (let index = 0; index < parent.length; index += 1) {
    const option = parent[index] as string;
    const name = option.split('=', 1)[0] as string;
    if (!MAIN_SCRIPT_OPTIONS.has(name)) kept.push(option);
    else if (!option.includes('=')) index += 1; // skip its value too
  }
  return kept.length === parent.length ? undefined : kept;
}

/** Validates options at once, in the house message shape, and fills in the defaults. */
export function resolveWorkerPoolOptions(options: WorkerPoolOptions): ResolvedWorkerPoolOptions {
  checkKnownKeys('WorkerPool', options, OPTION_NAMES);
  checkOptionalInteger('size', options.size, 1, 1024);
  checkOptionalUrl('workerUrl', options.workerUrl);
  checkOptionalUrlList('operations', options.operations);
  checkOptionalInteger('cancelGracePeriodMs', options.cancelGracePeriodMs, 0, 2 ** 31 - 1);
  checkOptionalObject('resourceLimits', options.resourceLimits);
  return {
    size: options.size ?? availableParallelism(),
    // A URL object: Node reads a plain string as a file path, not as a URL.
    workerUrl: options.workerUrl === undefined ? defaultWorkerUrl() : new URL(options.workerUrl),
    operationModules: (options.operations ?? []).map(String),
    cancelGracePeriodMs: options.cancelGracePeriodMs ?? 2000,
    resourceLimits: options.resourceLimits,
    execArgv: workerExecArgv(),
  };
}
