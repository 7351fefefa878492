import { availableParallelism } from 'node:os';
import { type JobSnapshot, KwqmError, WorkQueue } from '@kwqm/core';
import { WorkerPool } from '../pool/worker-pool.js';
import { checkDaemonOptions } from './check-daemon-options.js';
import { acquireDaemonLock, type DaemonLock } from './daemon-lock.js';
import { DaemonLogger, type LogLevel } from './daemon-logger.js';
import { type DaemonPaths, resolveDaemonPaths } from './daemon-paths.js';
import { DaemonServer } from './daemon-server.js';
import { JobJournal, type RestoredJob } from './job-journal.js';
import { jobOutputPath } from './job-output-paths.js';
import { JsonResultExecutor } from './json-result-executor.js';
import { ensurePrivateDirectory } from './private-directory.js';
import { SecretGuardExecutor } from './secret-guard-executor.js';
import { checkSocketPathLength } from './socket-path-limit.js';
import { removeStaleTempOutputs } from './stale-temp-outputs.js';

/** Options of {@link KwqmDaemon.start}. */
export interface KwqmDaemonOptions {
  /** Where the socket, lock, journal and log live. @default resolveDaemonPaths() */
  readonly paths?: DaemonPaths;
  /** Worker threads, and so jobs running at once. An integer >= 1. @default os.availableParallelism() */
  readonly concurrency?: number;
  /** Queued jobs before submitters wait. An integer >= 1 or Infinity. @default 1024 */
  readonly capacity?: number;
  /** Submitters that may wait for room before the next gets `QUEUE_FULL`. @default 256 */
  readonly maxWaitingProducers?: number;
  /** Finished jobs remembered (in memory and in the journal). @default 1000 */
  readonly historyLimit?: number;
  /** Custom operation modules the workers load, as URLs or absolute paths. @default [] */
  readonly operations?: readonly (URL | string)[];
  /** The worker entry (see WorkerPoolOptions). @default the built package's worker.js */
  readonly workerUrl?: URL | string;
  /** Least severe level written to the log. @default 'info' */
  readonly logLevel?: LogLevel;
  /** Journal records beyond the live state that trigger a compaction. @default 10000 */
  readonly compactAfter?: number;
  /**
   * Milliseconds a new connection has to send its `hello`; past that the daemon answers
   * `TIMEOUT` and closes that connection (others are not affected). An integer from 1 to 2^31 - 1.
   * @default 10000
   */
  readonly helloTimeoutMs?: number;
}

/**
 * The kwqm daemon: one per user (per socket), holding one queue on a worker pool, serving the
 * wire protocol on a Unix socket and journaling the queue so it survives a crash or restart.
 * {@link KwqmDaemon.start} does everything in order — private folders, the single-instance lock,
 * the journal (compacted, jobs restored with their ids), the pool and the socket.
 */
export class KwqmDaemon {
  readonly paths: DaemonPaths;
  readonly logger: DaemonLogger;
  readonly #lock: DaemonLock;
  readonly #journal: JobJournal;
  readonly #pool: WorkerPool;
  readonly #queue: WorkQueue;
  readonly #server: DaemonServer;
  #stopping: Promise<void> | undefined;
  #resolveStopped!: () => void;
  /** Settles when the daemon has stopped, by {@link KwqmDaemon.stop} or a `shutdown` request. */
  readonly stopped = new Promise<void>((resolve) => {
    this.#resolveStopped = resolve;
  });

  private constructor(
    paths: DaemonPaths,
    logger: DaemonLogger,
    lock: DaemonLock,
    journal: JobJournal,
    options: KwqmDaemonOptions,
  ) {
    this.paths = paths;
    this.logger = logger;
    this.#lock = lock;
    this.#journal = journal;
    const concurrency = options.concurrency ?? availableParallelism();
    this.#pool = new WorkerPool({
      size: concurrency,
      ...(options.operations === undefined ? {} : { operations: options.operations }),
      ...(options.workerUrl === undefined ? {} : { workerUrl: options.workerUrl }),
    });
    const guard = new SecretGuardExecutor(new JsonResultExecutor(this.#pool));
    const capacity = options.capacity ?? 1024;
    this.#queue = new WorkQueue({
      executor: guard,
      concurrency,
      capacity,
      maxWaitingProducers: options.maxWaitingProducers ?? 256,
      historyLimit: options.historyLimit ?? 1000,
    });
    this.#server = new DaemonServer({
      queue: this.#queue,
      journal,
      logger,
      serverName: 'kwqm-daemon',
      // No producer waits while there is room (the throttle admits waiting ones first).
      hasRoom: () => this.#queue.size < capacity && this.#queue.waitingProducers === 0,
      ...(options.helloTimeoutMs === undefined ? {} : { helloTimeoutMs: options.helloTimeoutMs }),
      onShutdownRequest: (cancelRunning) => {
        void this.stop({ cancelRunning });
      },
    });
    this.#restore(guard);
  }

  /**
   * Starts a daemon. Fails with `DAEMON_ALREADY_RUNNING` when one answers on the socket (or is
   * starting), `EACCES` when a folder is someone else's, `INVALID_OPTION` for bad options.
   */
  static async start(options: KwqmDaemonOptions = {}): Promise<KwqmDaemon> {
    checkDaemonOptions(options);
    const paths = options.paths ?? resolveDaemonPaths();
    checkSocketPathLength(paths.socketPath);
    // A Windows named pipe has no folder to make private.
    if (paths.runtimeDir !== undefined) ensurePrivateDirectory(paths.runtimeDir);
    ensurePrivateDirectory(paths.stateDir);
    const logger = new DaemonLogger(paths.logPath, options.logLevel ?? 'info');
    const lock = await acquireDaemonLock(paths.lockPath, paths.socketPath).catch((error: unknown) => {
      // Losing the race to another start is no failure; anything else (EEXIST: not a socket at
      // the socket path) is what the log is read for.
      const code = KwqmError.from(error).code;
      if (code !== 'DAEMON_ALREADY_RUNNING')
        logger.error('Could not start', { code, message: String(error) });
      throw error;
    });
    let daemon: KwqmDaemon | undefined;
    try {
      const journal = JobJournal.open(paths.journalPath, {
        logger,
        historyLimit: options.historyLimit ?? 1000,
        ...(options.compactAfter === undefined ? {} : { compactAfter: options.compactAfter }),
      });
      daemon = new KwqmDaemon(paths, logger, lock, journal, options);
      await daemon.#server.listen(paths.socketPath);
    } catch (error) {
      if (daemon !== undefined) await daemon.#teardown(true);
      else lock.release();
      logger.error('Could not start', { code: KwqmError.from(error).code, message: String(error) });
      throw error;
    }
    logger.info('Daemon started', { pid: process.pid, socket: paths.socketPath });
    return daemon;
  }

  /**
   * Stops the daemon: no new connections or submits; queued jobs stay in the journal for the
   * next start; running jobs finish, or are canceled with `cancelRunning`. Then the journal is
   * flushed and closed, the socket and lock removed. Calling it again waits for the same stop,
   * except that `cancelRunning` still cancels what is running.
   */
  stop(options: { readonly cancelRunning?: boolean } = {}): Promise<void> {
    const cancelRunning = options.cancelRunning === true;
    if (this.#stopping !== undefined) {
      if (cancelRunning) void this.#cancelEverything();
      return this.#stopping;
    }
    this.logger.info('Daemon stopping', { cancelRunning });
    this.#stopping = this.#teardown(cancelRunning);
    return this.#stopping;
  }

  async #teardown(cancelRunning: boolean): Promise<void> {
    this.#server.stopAccepting();
    // Close first: submits still waiting for room are turned away (QUEUE_CLOSED) rather than
    // admitted into the room that parking the queued jobs frees.
    const idle = this.#queue.close();
    const parked = this.#server.parkQueuedJobs();
    if (cancelRunning) await this.#cancelEverything();
    await idle;
    this.#journal.close();
    await this.#pool.close();
    this.#server.closeConnections();
    this.#lock.release();
    this.logger.info('Daemon stopped', { parkedJobs: parked });
    this.#resolveStopped();
  }

  #restore(guard: SecretGuardExecutor): void {
    const restored = this.#journal.restoredJobs();
    for (const job of restored) {
      if (job.wasRunning) this.#removeStaleTempOutputs(job);
      if (job.cancelRequested === true) {
        // Canceled while it ran, and the daemon died before the worker stopped: the client was
        // told its cancel was taken, so the job ends as it would have, not run again.
        const canceled = new KwqmError('CANCELED', `Job \`${job.id}\` was canceled`, {
          details: { id: job.id },
        });
        this.#journal.append({ type: 'finished', job: finishedSnapshot(job, 'canceled', canceled) });
        this.logger.info('Job finished', { jobId: job.id, operation: job.operation, state: 'canceled' });
        continue;
      }
      if (job.hadSecrets) {
        guard.markSecretsLost(job.id);
        this.#server.rememberSecretParams(job.params);
      }
      try {
        const handle = this.#queue.restore(
          {
            operation: job.operation,
            params: job.params,
            priority: job.priority,
            ...(job.label === undefined ? {} : { label: job.label }),
          },
          { id: job.id, createdAt: job.createdAt },
        );
        handle.result.catch(() => {});
      } catch (error) {
        const reason = KwqmError.from(error);
        this.logger.warn('Could not restore a journaled job', { jobId: job.id, code: reason.code });
        // End it on disk too, or every later start would try again.
        this.#journal.append({ type: 'finished', job: finishedSnapshot(job, 'failed', reason) });
      }
    }
    if (restored.length > 0) this.logger.info('Restored jobs from the journal', { count: restored.length });
  }

  /**
   * Cancels queued and running jobs, journaling the running ones' cancels first: a daemon killed
   * while they wind down then ends them `canceled` on restart instead of running them again.
   */
  #cancelEverything(): Promise<void> {
    this.#server.journalCancelOfRunning();
    return this.#queue.close({ cancelPending: true });
  }

  /** A job that was running when the last daemon died may have left its output's temp file. */
  #removeStaleTempOutputs(job: RestoredJob): void {
    const output = jobOutputPath(job.operation, job.params);
    if (output === undefined) return;
    const removed = removeStaleTempOutputs(output);
    if (removed.length > 0) {
      this.logger.info('Removed temp files of an interrupted job', {
        jobId: job.id,
        count: removed.length,
      });
    }
  }
}

/**
 * The final snapshot of a journaled job that ends at restart without running again: its snapshot
 * fields only (the journal's own `hadSecrets`, `wasRunning`, `cancelRequested` stay out of it).
 */
function finishedSnapshot(job: RestoredJob, state: 'failed' | 'canceled', error: KwqmError): JobSnapshot {
  return {
    id: job.id,
    operation: job.operation,
    params: job.params,
    priority: job.priority,
    state,
    ...(job.label === undefined ? {} : { label: job.label }),
    createdAt: job.createdAt,
    finishedAt: Date.now(),
    error: error.toJSON(),
  };
}
