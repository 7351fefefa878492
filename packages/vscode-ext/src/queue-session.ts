import type { JobHandle, JobSnapshot, JobSpec, QueueEvent, Unsubscribe } from '@kwqm/core';
import { KwqmError } from '@kwqm/core';
import type { BuiltinOperations } from '@kwqm/node-runtime';
import * as vscode from 'vscode';
import { eventLogLine } from './event-log-line.js';
import type { QueueEngine } from './queue-engine.js';
import { QueueModel, type QueueModelChange } from './queue-model.js';

/** What a {@link QueueSession} needs from the extension. */
export interface QueueSessionOptions {
  /** Opens the engine the current settings ask for; called once, on first use. */
  readonly openEngine: () => Promise<QueueEngine>;
  readonly log: vscode.LogOutputChannel;
  /** Called when a job this window submitted has ended, with its final snapshot. */
  readonly onOwnJobFinished: (job: JobSnapshot) => void;
}

/**
 * The extension's link to the queue: opens the engine lazily (never during activation), keeps
 * the view's {@link QueueModel} up to date from the queue's events, logs every event, and reports
 * the end of jobs this window submitted (other clients' jobs of a shared daemon are only shown).
 */
export class QueueSession implements vscode.Disposable {
  /** The view's state. */
  readonly model = new QueueModel();
  readonly #options: QueueSessionOptions;
  readonly #changed = new vscode.EventEmitter<QueueModelChange>();
  #engine: Promise<QueueEngine> | undefined;
  #unsubscribe: Unsubscribe | undefined;
  #openedLocation: QueueEngine['location'] | undefined;
  #disposed = false;
  #closing: Promise<void> | undefined;
  /** Jobs this window submitted that have not ended (their finish notification is still due). */
  readonly #ownUnfinished = new Set<string>();

  /** Fires after the model changed. */
  readonly onDidChange = this.#changed.event;

  constructor(options: QueueSessionOptions) {
    this.#options = options;
  }

  /** True once the engine has been asked for. */
  get started(): boolean {
    return this.#engine !== undefined;
  }

  /** The engine, opened on first call; a failed open is retried on the next call. */
  engine(): Promise<QueueEngine> {
    if (this.#disposed)
      return Promise.reject(new KwqmError('QUEUE_CLOSED', 'The KWQM extension is shutting down'));
    if (this.#engine === undefined) {
      this.#engine = this.#open();
      this.#engine.catch(() => {
        this.#engine = undefined;
      });
    }
    return this.#engine;
  }

  /** Shows the reply to a cancel in the view (a running job is "canceling" until it has stopped). */
  noteCancelRequested(reply: JobSnapshot): void {
    const change = this.model.noteCancelRequested(reply);
    if (change.kind !== 'none') this.#changed.fire(change);
  }

  /**
   * Submits a job and arranges its finish notification: `onFinished` receives its final snapshot
   * (a batch collects them into one summary); without it, the session's `onOwnJobFinished` does.
   */
  async submit(
    spec: JobSpec<BuiltinOperations>,
    onFinished: (job: JobSnapshot) => void = this.#options.onOwnJobFinished,
  ): Promise<JobHandle> {
    const opened = this.engine();
    const engine = await opened;
    let handle: JobHandle;
    try {
      handle = await engine.service.submit(spec);
    } catch (error) {
      this.#noteIfLost(opened, error);
      throw error;
    }
    this.#ownUnfinished.add(handle.id);
    const finished = async (error?: unknown) => {
      if (error !== undefined) this.#noteIfLost(opened, error);
      const job = (await engine.service.get(handle.id).catch(() => undefined)) ?? this.model.get(handle.id);
      if (job !== undefined) onFinished(job);
      this.#ownUnfinished.delete(handle.id);
      // Nothing in the view changed, but a reopen waiting for this window's jobs may go now.
      if (!this.#disposed) this.#changed.fire({ kind: 'none' });
    };
    // The outcome is reported through the snapshot; the rejection itself needs no handler beyond this.
    handle.result.then(
      () => finished(),
      (error: unknown) => finished(error ?? new Error('rejected')),
    );
    return handle;
  }

  /**
   * A daemon connection that gave up (`CONNECTION_CLOSED`: the daemon went away and did not come
   * back) never answers again: drop it so the next job opens an engine from the settings again
   * (for `auto`, the editor's queue when no daemon runs), and end the rows it held — no event will.
   * A connection this session closed itself (settings change, shutdown) is no longer current and
   * is left alone.
   */
  #noteIfLost(opened: Promise<QueueEngine>, error: unknown): void {
    const failure = KwqmError.from(error);
    if (failure.code !== 'CONNECTION_CLOSED' || this.#disposed || this.#engine !== opened) return;
    this.#engine = undefined;
    this.#openedLocation = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#options.log.warn(
      `the queue went away (${failure.code}: ${failure.message}); its unfinished jobs are shown failed, the next job opens a new queue`,
    );
    const change = this.model.noteLost(failure, Date.now());
    if (change.kind !== 'none') this.#changed.fire(change);
  }

  /** How many jobs this window submitted have not ended yet. */
  get ownUnfinished(): number {
    return this.#ownUnfinished.size;
  }

  /** Where the open engine runs, or `undefined` before it opened. */
  get location(): QueueEngine['location'] | undefined {
    return this.#openedLocation;
  }

  /**
   * Closes the engine so the next use opens one from the current settings (after a change of
   * `kwqm.useDaemon`, `kwqm.workers` or `kwqm.queueCapacity`). An in-editor queue's jobs would be
   * canceled, so callers only do this while it is idle.
   */
  async reopen(): Promise<void> {
    const previous = this.#engine;
    this.#engine = undefined;
    this.#openedLocation = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const engine = await previous?.catch(() => undefined);
    await engine?.close();
    // The Finished rows stay: only the rows of jobs still live in the closed queue go.
    this.model.forgetUnfinished();
    this.#changed.fire({ kind: 'tree' });
  }

  /**
   * Closes the engine (an in-editor queue cancels its jobs, a daemon connection just closes), then
   * stops listening: the cancel events of the jobs the close ends are logged like any other. The
   * jobs about to be canceled are also logged at once, before anything is awaited: VS Code
   * disposes an extension's subscriptions right after it calls `deactivate`, without waiting.
   */
  dispose(): Promise<void> {
    // Every call waits for the one close (deactivate and the subscription both call this).
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#disposed = true;
    if (this.#openedLocation === 'editor') {
      const live = this.model.unfinished();
      if (live.length > 0)
        this.#options.log.info(
          `the window is closing: canceling ${live.length} job(s) of the editor's queue (${live
            .map((job) => `${job.id} ${job.operation} ${job.state}`)
            .join(', ')})`,
        );
    }
    const engine = await this.#engine?.catch(() => undefined);
    await engine
      ?.close()
      .catch((error: unknown) =>
        this.#options.log.warn(`closing the queue failed: ${KwqmError.from(error).code}`),
      );
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#changed.dispose();
  }

  async #open(): Promise<QueueEngine> {
    const engine = await this.#options.openEngine();
    // Subscribe before listing so no event falls between; events seen before the listing
    // returns are replayed on top of it.
    const early: QueueEvent[] = [];
    let listed = false;
    this.#unsubscribe = engine.service.subscribe((event) => {
      // Progress comes several times a second per job: logged at debug level (Output › KWQM › Debug).
      if (event.type === 'progress') this.#options.log.debug(eventLogLine(event));
      else this.#options.log.info(eventLogLine(event));
      if (!listed) {
        early.push(event);
        return;
      }
      this.#changed.fire(this.model.apply(event));
    });
    // Finished rows of a previous queue (before a settings change, or a lost daemon) stay in view.
    this.model.resetKeepingFinished(await engine.service.list({ includeFinished: true }));
    listed = true;
    for (const event of early) this.model.apply(event);
    this.#changed.fire({ kind: 'tree' });
    this.#openedLocation = engine.location;
    return engine;
  }
}
