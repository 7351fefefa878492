import type { JobHandle, JobSpec, SerializedKwqmError } from '@kwqm/core';
import { KwqmError } from '@kwqm/core';
import type { BuiltinOperations } from '@kwqm/node-runtime';
import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { cliErrorJSON } from '../output/cli-reason.js';
import { formatErrorLine } from '../output/error-line.js';
import { LineProgress } from '../output/line-progress.js';
import { type ProgressDisplay, silentProgress } from '../output/progress-display.js';
import { progressLayout } from '../output/progress-layout.js';
import { openQueue } from '../queue/open-queue.js';
import { InterruptWatch } from './interrupt-watch.js';
import type { JobOptions } from './job-options.js';

/** One file's job: the spec to submit and how to name the file in messages. */
export interface FileJob {
  /** The file as the user typed it. */
  readonly file: string;
  readonly spec: JobSpec<BuiltinOperations>;
  /** Why the job could only fail, found before submitting: reported as failed, never submitted. */
  readonly refused?: SerializedKwqmError;
}

/** How a file's job ended, as printed by `--json` (docs/reference/cli.md, "File commands"). */
export interface FileJobOutcome {
  readonly file: string;
  /** `null` when the queue never accepted the job. */
  readonly id: string | null;
  readonly operation: string;
  /** `queued` only with `--detach`; `rejected` when the submit itself failed (e.g. `QUEUE_FULL`). */
  readonly state: 'queued' | 'succeeded' | 'failed' | 'canceled' | 'removed' | 'rejected';
  readonly result?: unknown;
  readonly error?: SerializedKwqmError;
}

/** Writes the human result line of a succeeded job (e.g. `notes.txt -> notes.txt.age`). */
export type ResultLine = (job: FileJob, result: unknown) => string;

function stateOfFailure(error: KwqmError): FileJobOutcome['state'] {
  if (error.code === 'CANCELED' || error.code === 'ABORTED') return 'canceled';
  if (error.code === 'REMOVED') return 'removed';
  return 'failed';
}

function createDisplay(
  context: CliContext,
  options: JobOptions,
  files: readonly string[],
): Promise<ProgressDisplay> | ProgressDisplay {
  if (options.json || options.quiet) return silentProgress;
  // Labels padded to the longest file name, within 4..40 columns and the terminal's width; plain
  // lines when the bars would not fit (see progressLayout).
  const longest = Math.max(...files.map((file) => file.length));
  const layout = progressLayout(context.stderr, context.env, longest, files.length);
  if (layout === 'lines') return new LineProgress(context.stderr);
  // cli-progress is only loaded when a bar is actually drawn.
  return import('../output/terminal-progress.js').then(
    ({ TerminalProgress }) => new TerminalProgress(context.stderr, context.err, layout),
  );
}

/**
 * Submits one job per file and, unless detached, waits for them all with a progress display,
 * then prints one line per job. Ctrl-C cancels every job this command submitted, waits for their
 * final events and answers 130. In both modes a job's result settles only once its worker has
 * stopped (a canceled running job stays `running` until then), so by then its temp output is gone.
 */
export async function runFileJobs(
  context: CliContext,
  jobs: readonly FileJob[],
  options: JobOptions,
  resultLine: ResultLine,
): Promise<ExitCode> {
  const interrupt = new InterruptWatch();
  const outcomes: (FileJobOutcome | undefined)[] = jobs.map(() => undefined);
  const handles: { index: number; handle: JobHandle }[] = [];
  let queue: Awaited<ReturnType<typeof openQueue>> | undefined;
  try {
    queue = await openQueue(options.mode, context);
    const service = queue.service;
    const cancelAll = (): void => {
      for (const { handle } of handles) service.cancel(handle.id).catch(() => {});
    };
    interrupt.onInterrupt(cancelAll);

    for (const [index, job] of jobs.entries()) {
      if (interrupt.interrupted) break;
      if (job.refused !== undefined) {
        const { operation } = job.spec;
        outcomes[index] = { file: job.file, id: null, operation, state: 'failed', error: job.refused };
        continue;
      }
      try {
        const handle = await service.submit(job.spec, { signal: interrupt.signal });
        handles.push({ index, handle });
        // A Ctrl-C that came while this submit was on its way: the job is ours to cancel too.
        if (interrupt.interrupted) service.cancel(handle.id).catch(() => {});
      } catch (error) {
        const kwqmError = KwqmError.from(error, 'INTERNAL');
        if (interrupt.interrupted) break;
        outcomes[index] = {
          file: job.file,
          id: null,
          operation: job.spec.operation,
          state: 'rejected',
          error: cliErrorJSON(kwqmError),
        };
      }
    }

    if (options.mode === 'detach' && !interrupt.interrupted) {
      for (const { index, handle } of handles) {
        const job = jobs[index] as FileJob;
        outcomes[index] = { file: job.file, id: handle.id, operation: job.spec.operation, state: 'queued' };
      }
    } else {
      const display = await createDisplay(
        context,
        options,
        jobs.map((job) => job.file),
      );
      try {
        await Promise.all(
          handles.map(async ({ index, handle }) => {
            const job = jobs[index] as FileJob;
            display.add(handle.id, job.file);
            const stopProgress = handle.onProgress((progress) => display.update(handle.id, progress));
            try {
              const result = await handle.result;
              display.end(handle.id, true);
              outcomes[index] = {
                file: job.file,
                id: handle.id,
                operation: job.spec.operation,
                state: 'succeeded',
                result,
              };
            } catch (error) {
              display.end(handle.id, false);
              const kwqmError = explainLostDaemon(KwqmError.from(error, 'OPERATION_FAILED'), handle.id);
              outcomes[index] = {
                file: job.file,
                id: handle.id,
                operation: job.spec.operation,
                state: stateOfFailure(kwqmError),
                error: cliErrorJSON(kwqmError),
              };
            } finally {
              stopProgress();
            }
          }),
        );
      } finally {
        display.stop();
      }
    }
  } finally {
    interrupt.dispose();
    await queue?.close({ cancelPending: interrupt.interrupted });
  }
  return report(
    context,
    jobs,
    outcomes,
    options,
    resultLine,
    interrupt.interrupted ? interrupt.exitCode : undefined,
  );
}

/**
 * The daemon went away while this command waited for a job (stopped, killed) and did not come back
 * within the client's reconnect time. The job is not lost: the daemon journaled it at submit, and
 * a daemon started again runs it unless it had finished, so say that instead of "failed".
 */
function explainLostDaemon(error: KwqmError, jobId: string): KwqmError {
  if (error.code !== 'CONNECTION_CLOSED') return error;
  return new KwqmError(
    'CONNECTION_CLOSED',
    `The daemon went away before job ${jobId} ended; it stays in the daemon's journal and runs when a daemon starts again, unless it had finished (\`kwqm status ${jobId}\` tells)`,
    { cause: error, details: { jobId } },
  );
}

function report(
  context: CliContext,
  jobs: readonly FileJob[],
  outcomes: readonly (FileJobOutcome | undefined)[],
  options: JobOptions,
  resultLine: ResultLine,
  /** The interrupt's status (130, 143, 129) when a signal ended the wait. */
  interrupted: ExitCode | undefined,
): ExitCode {
  const settled = outcomes.filter((outcome): outcome is FileJobOutcome => outcome !== undefined);
  if (options.json) {
    context.stdout.write(`${JSON.stringify({ jobs: settled })}\n`);
  } else {
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome === undefined) continue;
      const job = jobs[index] as FileJob;
      if (outcome.state === 'queued') context.stdout.write(`${outcome.id}\t${job.file}\n`);
      else if (outcome.state === 'succeeded') context.stdout.write(`${resultLine(job, outcome.result)}\n`);
      else if (outcome.error !== undefined) {
        const error = KwqmError.fromJSON(outcome.error);
        context.stderr.write(
          `${formatErrorLine(error, { subject: job.file, colors: context.err, debug: options.debug })}\n`,
        );
      }
    }
  }
  if (interrupted !== undefined) return interrupted;
  if (settled.some((outcome) => outcome.error?.code === 'QUEUE_FULL')) return EXIT_CODES.queueFull;
  if (settled.some((outcome) => outcome.state !== 'succeeded' && outcome.state !== 'queued'))
    return EXIT_CODES.jobFailed;
  return EXIT_CODES.ok;
}
