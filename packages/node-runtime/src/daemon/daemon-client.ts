import { connect, type Socket } from 'node:net';
import {
  type AnyOperationMap,
  type JobHandle,
  type JobProgress,
  type JobSnapshot,
  type JobSpec,
  KwqmError,
  type ListOptions,
  MAX_FRAME_BYTES,
  MAX_SERVER_FRAME_BYTES,
  type OperationMap,
  PROTOCOL_VERSION,
  type Priority,
  type ProtocolResults,
  parseServerMessage,
  type QueueEvent,
  type QueueService,
  type SubmitOptions,
  type Unsubscribe,
  validateSubmitOptions,
} from '@kwqm/core';
import { checkDaemonClientOptions } from './check-client-options.js';
import { checkWirePriority, checkWireSpec, encodingError } from './check-wire-spec.js';
import { resolveDaemonPaths } from './daemon-paths.js';
import { JobTracker } from './job-tracker.js';
import { encodeFrame, NdjsonDecoder } from './ndjson-framing.js';
import { checkSocketPathLength } from './socket-path-limit.js';

/** Options of {@link DaemonClient.connect}. */
export interface DaemonClientOptions {
  /** @default resolveDaemonPaths().socketPath (`$KWQM_SOCKET`, `$XDG_RUNTIME_DIR/kwqm/kwqm.sock`, …) */
  readonly socketPath?: string;
  /** Give up connecting (and saying hello) after this many ms. An integer from 1 to 2^31 - 1. @default 2000 */
  readonly connectTimeoutMs?: number;
  /** The name the daemon logs for this client. @default 'kwqm-client' */
  readonly clientName?: string;
  /**
   * When the connection drops (a daemon restart), reconnect for up to this many ms and
   * resubscribe to every job still awaited; `0` fails them at once with `CONNECTION_CLOSED`. An
   * integer from 0 to 2^31 - 1. @default 10000
   */
  readonly reconnectTimeoutMs?: number;
  /** The largest request this client sends (the daemon's limit). @default MAX_FRAME_BYTES (1 MiB) */
  readonly maxFrameBytes?: number;
  /**
   * Called when a reconnect attempt finds no daemon (`DAEMON_UNAVAILABLE`), at most once per lost
   * connection: `connectOrStart()` sets it to start the daemon again, so a client that waits for
   * results survives a daemon crash on its own. @default undefined (only wait for someone else to start it)
   */
  readonly restartDaemon?: (() => void) | undefined;
}

interface PendingRequest {
  /** Runs synchronously when the response is read, before any later frame (such as the job's events). */
  readonly onResponse?: ((result: unknown) => void) | undefined;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: KwqmError) => void;
}

/**
 * A connection to the kwqm daemon, implementing core's {@link QueueService}, so the CLI and the
 * editor drive it exactly like an in-process queue; errors arrive as the same `KwqmError` with
 * the same codes. Jobs outlive the connection: after a daemon restart the client reconnects and
 * resubscribes to the jobs it still waits for.
 */
export class DaemonClient<Ops extends OperationMap = AnyOperationMap> implements QueueService<Ops> {
  readonly #options: Required<Omit<DaemonClientOptions, 'restartDaemon'>>;
  readonly #restartDaemon: (() => void) | undefined;
  readonly #pending = new Map<number, PendingRequest>();
  readonly #jobs = new Map<string, JobTracker>();
  readonly #listeners = new Set<(event: QueueEvent) => void>();
  #socket!: Socket;
  #nextRequestId = 1;
  #closed = false;
  #reconnecting: Promise<void> | undefined;
  /** Frames read behind an answered request, dispatched in a microtask (see #readFrame). */
  #deferredFrames: string[] | undefined;
  /** The pid of the daemon answering, from `hello`. */
  serverPid = 0;

  private constructor(
    options: Required<Omit<DaemonClientOptions, 'restartDaemon'>>,
    restartDaemon: (() => void) | undefined,
  ) {
    this.#options = options;
    this.#restartDaemon = restartDaemon;
  }

  /**
   * Connects and says hello. `DAEMON_UNAVAILABLE` when nothing answers, `PROTOCOL_ERROR` for another
   * version, `INVALID_OPTION` (before connecting) for an unknown, mistyped or out-of-range option.
   */
  static async connect<Ops extends OperationMap = AnyOperationMap>(
    options: DaemonClientOptions = {},
  ): Promise<DaemonClient<Ops>> {
    checkDaemonClientOptions('DaemonClient.connect', options);
    const socketPath = options.socketPath ?? resolveDaemonPaths().socketPath;
    checkSocketPathLength(socketPath);
    const client = new DaemonClient<Ops>(
      {
        socketPath,
        connectTimeoutMs: options.connectTimeoutMs ?? 2000,
        clientName: options.clientName ?? 'kwqm-client',
        reconnectTimeoutMs: options.reconnectTimeoutMs ?? 10_000,
        maxFrameBytes: options.maxFrameBytes ?? MAX_FRAME_BYTES,
      },
      options.restartDaemon,
    );
    await client.#open();
    return client;
  }

  /** The socket this client talks to. */
  get socketPath(): string {
    return this.#options.socketPath;
  }

  /**
   * Submits a job; resolves with its handle once the daemon queued it (after any wait for
   * room), or rejects with `QUEUE_FULL`, `INVALID_JOB`, …. Aborting `options.signal` while the
   * daemon waits for room gives the submit up there too, and rejects with the signal's reason.
   */
  submit(spec: JobSpec<Ops>, options: SubmitOptions = {}): Promise<JobHandle> {
    try {
      validateSubmitOptions(options);
    } catch (error) {
      return Promise.reject(error);
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    try {
      checkWireSpec(spec);
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal === undefined) {
      // The common case, and the one the round trip is measured on: nothing can abort it, so the
      // response settles the caller's promise directly (one promise, no abort bookkeeping). The
      // handle is made while the response is read, before the job's next frame (its events).
      return new Promise((resolve, reject) => {
        this.#send({ type: 'submit', spec }, this.#nextRequestId++, {
          resolve: (result) => resolve(this.#handleFor((result as ProtocolResults['submit']).job)),
          reject,
        });
      });
    }
    return new Promise((resolve, reject) => {
      let aborted = false;
      const submitId = this.#nextRequestId++;
      const onAbort = (): void => {
        aborted = true;
        this.#request({ type: 'abort-submit', submitId }).catch(() => {});
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      let handle: JobHandle | undefined;
      // The tracker must exist before the next frame is read: it may be this job's final event.
      const onResponse = (result: unknown): void => {
        if (!aborted) handle = this.#handleFor((result as ProtocolResults['submit']).job);
      };
      this.#request<'submit'>({ type: 'submit', spec }, submitId, onResponse).then(
        ({ job }) => {
          signal?.removeEventListener('abort', onAbort);
          if (aborted || handle === undefined) {
            // The daemon queued it before our abort arrived: take it back out.
            this.cancel(job.id).catch(() => {});
            return;
          }
          resolve(handle);
        },
        (error: KwqmError) => {
          signal?.removeEventListener('abort', onAbort);
          if (!aborted) reject(error);
        },
      );
    });
  }

  /**
   * The result of any job (also one submitted by another client or before a restart): resolves
   * with its result, rejects with its error, `JOB_NOT_FOUND` if the daemon does not know it.
   */
  async waitForResult(id: string): Promise<unknown> {
    return this.#track(id).then((tracker) => tracker.result);
  }

  /** Streams a job's progress until it ends. */
  async onProgress(id: string, listener: (progress: JobProgress) => void): Promise<Unsubscribe> {
    return (await this.#track(id)).onProgress(listener);
  }

  async remove(id: string): Promise<JobSnapshot> {
    return (await this.#request<'remove'>({ type: 'remove', jobId: id })).job;
  }

  async setPriority(id: string, priority: Priority): Promise<JobSnapshot> {
    checkWirePriority(priority);
    return (await this.#request<'set-priority'>({ type: 'set-priority', jobId: id, priority })).job;
  }

  async cancel(id: string): Promise<JobSnapshot> {
    return (await this.#request<'cancel'>({ type: 'cancel', jobId: id })).job;
  }

  async list(options: ListOptions = {}): Promise<JobSnapshot[]> {
    const { jobs } = await this.#request<'list'>({
      type: 'list',
      includeFinished: options.includeFinished === true,
    });
    return [...jobs];
  }

  async get(id: string): Promise<JobSnapshot | undefined> {
    return (await this.#request<'get'>({ type: 'get', jobId: id })).job ?? undefined;
  }

  /** Every event of every job, from any client, until unsubscribed. */
  subscribe(listener: (event: QueueEvent) => void): Unsubscribe {
    if (typeof listener !== 'function') {
      // As the in-process queue: a non-function would only fail when the first event arrives.
      throw new KwqmError(
        'INVALID_OPTION',
        `Expected \`listener\` to be a function, got a ${typeof listener}`,
        {
          details: { option: 'listener' },
        },
      );
    }
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#request({ type: 'subscribe', all: true }).catch(() => {});
    return () => {
      if (!this.#listeners.delete(listener) || this.#listeners.size > 0 || this.#closed) return;
      this.#request({ type: 'unsubscribe', all: true }).catch(() => {});
    };
  }

  /** Asks the daemon to stop: running jobs finish, or are canceled with `cancelRunning`. */
  async shutdown(options: { readonly cancelRunning?: boolean } = {}): Promise<void> {
    await this.#request({ type: 'shutdown', cancelRunning: options.cancelRunning === true });
  }

  /** Closes the connection. Jobs keep running in the daemon; awaited results reject with `CONNECTION_CLOSED`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.destroy();
    this.#failAll(new KwqmError('CONNECTION_CLOSED', 'The client was closed'));
  }

  #handleFor(job: JobSnapshot): JobHandle {
    const tracker = this.#jobs.get(job.id) ?? new JobTracker(job.id);
    if (!tracker.settleFrom(job)) this.#jobs.set(job.id, tracker);
    return { id: job.id, result: tracker.result, onProgress: (listener) => tracker.onProgress(listener) };
  }

  async #track(id: string): Promise<JobTracker> {
    const existing = this.#jobs.get(id);
    if (existing !== undefined) return existing;
    let tracker: JobTracker | undefined;
    // Made while the response is read, so an event right behind it finds the tracker.
    const onResponse = (result: unknown): void => {
      const job = (result as ProtocolResults['subscribe']).jobs.find((candidate) => candidate.id === id);
      if (job === undefined) return;
      tracker = this.#jobs.get(id) ?? new JobTracker(id);
      if (!tracker.settleFrom(job)) this.#jobs.set(id, tracker);
    };
    await this.#request<'subscribe'>({ type: 'subscribe', jobIds: [id] }, undefined, onResponse);
    if (tracker === undefined) {
      throw new KwqmError('JOB_NOT_FOUND', `No job with id \`${id}\` is known to the daemon`, {
        details: { id },
      });
    }
    return tracker;
  }

  #request<Type extends keyof ProtocolResults>(
    fields: { readonly type: Type } & Record<string, unknown>,
    id: number = this.#nextRequestId++,
    onResponse?: (result: unknown) => void,
  ): Promise<ProtocolResults[Type]> {
    return new Promise((resolve, reject) => {
      this.#send(fields, id, { onResponse, resolve: resolve as (result: unknown) => void, reject });
    });
  }

  /** Sends one request; `pending` is settled by its response, or rejected if it cannot be sent. */
  #send(fields: Record<string, unknown>, id: number, pending: PendingRequest): void {
    if (this.#closed) {
      pending.reject(new KwqmError('CONNECTION_CLOSED', 'The client was closed'));
      return;
    }
    if (this.#socket.destroyed) {
      // Between a drop and the reconnect: send once the new connection said hello.
      const reconnecting = this.#reconnecting;
      if (reconnecting === undefined) {
        pending.reject(new KwqmError('CONNECTION_CLOSED', 'The connection to the daemon closed'));
        return;
      }
      void reconnecting.then(() => this.#send(fields, id, pending));
      return;
    }
    let frame: string;
    try {
      frame = encodeFrame({ ...fields, id }, this.#options.maxFrameBytes);
    } catch (error) {
      pending.reject(encodingError(fields.type, error));
      return;
    }
    this.#pending.set(id, pending);
    this.#socket.write(frame);
  }

  async #open(): Promise<void> {
    const socket = await openSocket(this.#options.socketPath, this.#options.connectTimeoutMs);
    this.#socket = socket;
    const decoder = new NdjsonDecoder(
      {
        onFrame: (text) => this.#readFrame(text),
        onOversized: () => socket.destroy(),
      },
      MAX_SERVER_FRAME_BYTES,
    );
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.#onClose(socket));
    const timer = setTimeout(() => socket.destroy(), this.#options.connectTimeoutMs);
    try {
      const hello = await this.#request<'hello'>({
        type: 'hello',
        protocolVersion: PROTOCOL_VERSION,
        client: this.#options.clientName,
      });
      this.serverPid = hello.pid;
    } catch (error) {
      socket.destroy();
      throw KwqmError.is(error) && error.code === 'CONNECTION_CLOSED'
        ? new KwqmError(
            'DAEMON_UNAVAILABLE',
            `The daemon on ${this.#options.socketPath} did not answer hello`,
            {
              cause: error,
            },
          )
        : error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Frames read behind a response in the same chunk wait for one microtask: the caller whose
   * request was answered runs first (a submitter gets its handle without first paying for its
   * job's `started` event, which often arrives in the same read), and can attach `onProgress`
   * before the events that came with the answer are dispatched. Order is kept.
   */
  #readFrame(text: string): void {
    if (this.#deferredFrames !== undefined) {
      this.#deferredFrames.push(text);
      return;
    }
    if (!this.#onFrame(text)) return;
    this.#deferredFrames = [];
    queueMicrotask(() => {
      const frames = this.#deferredFrames ?? [];
      this.#deferredFrames = undefined;
      for (const frame of frames) this.#readFrame(frame);
    });
  }

  /** Handles one frame; true when it settled a request. */
  #onFrame(text: string): boolean {
    let message: ReturnType<typeof parseServerMessage>;
    try {
      message = parseServerMessage(JSON.parse(text));
    } catch {
      // A daemon we cannot understand: drop this connection; reconnecting meets a fresh one.
      this.#socket.destroy();
      return false;
    }
    if ('event' in message) {
      this.#onEvent(message.event);
      return false;
    }
    if (message.id === null) return false;
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return false;
    this.#pending.delete(message.id);
    if (message.ok) {
      pending.onResponse?.(message.result);
      pending.resolve(message.result);
    } else pending.reject(KwqmError.fromJSON(message.error));
    return true;
  }

  #onEvent(event: QueueEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        // A listener's bug must not break the connection's reading; reported as an unhandled
        // rejection, as the in-process queue reports its listeners' errors.
        void Promise.reject(error);
      }
    }
    const id = event.type === 'progress' ? event.jobId : event.job.id;
    const tracker = this.#jobs.get(id);
    if (tracker === undefined) return;
    if (event.type === 'progress') tracker.progress(event.progress);
    else if (tracker.settleFrom(event.job)) this.#jobs.delete(id);
  }

  #onClose(socket: Socket): void {
    if (socket !== this.#socket) return;
    const closed = new KwqmError('CONNECTION_CLOSED', 'The connection to the daemon closed');
    for (const pending of this.#pending.values()) pending.reject(closed);
    this.#pending.clear();
    if (this.#closed) return;
    if (this.#options.reconnectTimeoutMs <= 0 || (this.#jobs.size === 0 && this.#listeners.size === 0)) {
      // Nothing awaited and nobody listening: there is nothing to resume.
      this.#closed = true;
      this.#failAll(closed);
      return;
    }
    this.#reconnecting ??= this.#reconnect().finally(() => {
      this.#reconnecting = undefined;
    });
  }

  async #reconnect(): Promise<void> {
    const deadline = Date.now() + this.#options.reconnectTimeoutMs;
    let delay = 25;
    let restarted = false;
    while (!this.#closed) {
      try {
        await this.#open();
        break;
      } catch (error) {
        if (!restarted && this.#restartDaemon !== undefined && KwqmError.is(error)) {
          if (error.code === 'DAEMON_UNAVAILABLE') {
            restarted = true;
            this.#restartDaemon();
          }
        }
        if (Date.now() + delay > deadline) {
          this.#closed = true;
          this.#failAll(new KwqmError('CONNECTION_CLOSED', 'The daemon went away and did not come back'));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 500);
      }
    }
    if (this.#listeners.size > 0) await this.#request({ type: 'subscribe', all: true }).catch(() => {});
    const ids = [...this.#jobs.keys()];
    if (ids.length === 0) return;
    try {
      const { jobs } = await this.#request<'subscribe'>({ type: 'subscribe', jobIds: ids });
      const known = new Set<string>();
      for (const job of jobs) {
        known.add(job.id);
        if (this.#jobs.get(job.id)?.settleFrom(job)) this.#jobs.delete(job.id);
      }
      for (const id of ids) {
        if (known.has(id)) continue;
        this.#jobs
          .get(id)
          ?.fail(new KwqmError('JOB_NOT_FOUND', `The restarted daemon does not know job \`${id}\``));
        this.#jobs.delete(id);
      }
    } catch {
      // The new connection dropped too; its close handler starts the next round.
    }
  }

  #failAll(error: KwqmError): void {
    for (const tracker of this.#jobs.values()) tracker.fail(error);
    this.#jobs.clear();
  }
}

function openSocket(path: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new KwqmError('DAEMON_UNAVAILABLE', `Connecting to ${path} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new KwqmError(
          'DAEMON_UNAVAILABLE',
          `No kwqm daemon answers on ${path} (${error.code ?? error.message})`,
          {
            cause: error,
            ...(error.code === undefined ? {} : { errno: error.code }),
            details: { socketPath: path },
          },
        ),
      );
    });
  });
}
