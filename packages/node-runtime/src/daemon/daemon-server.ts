import { chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import {
  FINAL_EVENT_TYPES,
  isFinalState,
  type JobSnapshot,
  type JobSpec,
  KwqmError,
  MAX_FRAME_BYTES,
  MAX_SERVER_FRAME_BYTES,
  PROTOCOL_VERSION,
  type ProtocolRequest,
  type ProtocolRequestOf,
  type ProtocolResults,
  parseRequest,
  type QueueEvent,
  type Unsubscribe,
  type WorkQueue,
} from '@kwqm/core';
import { DaemonConnection } from './daemon-connection.js';
import type { DaemonLogger } from './daemon-logger.js';
import { isNamedPipe } from './daemon-paths.js';
import { EventSubscriptions } from './event-subscriptions.js';
import type { JobJournal } from './job-journal.js';
import { journalRecordOf } from './journal-record-of.js';
import type { JournalRecord } from './journal-records.js';
import { encodeFrame } from './ndjson-framing.js';

const FINAL_TYPES: ReadonlySet<string> = new Set(FINAL_EVENT_TYPES);

/** A handler that wrote its own response returns this. */
const ALREADY_ANSWERED = Symbol('already answered');

/** Options of a {@link DaemonServer}. */
export interface DaemonServerOptions {
  readonly queue: WorkQueue;
  readonly journal: JobJournal;
  readonly logger: DaemonLogger;
  /** What `hello` answers as the server's name. */
  readonly serverName: string;
  /** Called after a `shutdown` request was answered. */
  readonly onShutdownRequest: (cancelRunning: boolean) => void;
  /** The largest request frame accepted. @default MAX_FRAME_BYTES (1 MiB) */
  readonly maxFrameBytes?: number;
  /**
   * True when a submit would be accepted without waiting; such submits skip making an
   * AbortController (a measurable cost per submit). @default () => false (always make one)
   */
  readonly hasRoom?: () => boolean;
  /**
   * How long a new connection may take to send its `hello` (a complete frame) before the
   * daemon answers `TIMEOUT` and closes it, so idle or stalled sockets do not pile up.
   * @default 10000
   */
  readonly helloTimeoutMs?: number;
}

/**
 * The daemon's socket side: accepts connections, answers protocol requests from the queue, and
 * writes every queue event to the journal and to each connection subscribed to that job or to
 * all jobs. A connection's mistakes (garbage, oversized frames, a wrong version) are answered
 * on that connection alone; nothing a client sends can stop the others.
 */
export class DaemonServer {
  readonly #queue: WorkQueue;
  readonly #journal: JobJournal;
  readonly #logger: DaemonLogger;
  readonly #serverName: string;
  readonly #onShutdownRequest: (cancelRunning: boolean) => void;
  readonly #maxFrameBytes: number;
  readonly #server: Server;
  readonly #connections = new Set<DaemonConnection>();
  readonly #subscriptions = new EventSubscriptions();
  /** Params objects of submits that carried secrets: the journal marks those jobs `hadSecrets`. */
  readonly #paramsWithSecrets = new WeakSet<object>();
  /** Submits being accepted, by their params object: answered from the `queued` event (see #submit). */
  readonly #accepting = new Map<
    object,
    { readonly connection: DaemonConnection; readonly requestId: number }
  >();
  /** Queued jobs taken out by a shutdown: they stay queued in the journal and are not announced. */
  readonly #parked = new Set<string>();
  /** Jobs answered from their `queued` event that already ended before #submit resumed. */
  readonly #answered = new Set<string>();
  readonly #unsubscribeQueue: Unsubscribe;
  readonly #hasRoom: () => boolean;
  readonly #helloTimeoutMs: number;
  readonly #flushJournal = (): void => {
    try {
      this.#journal.flush();
    } catch (error) {
      this.#logger.error('Could not write the journal', { code: KwqmError.from(error, 'IO_ERROR').code });
    }
  };

  constructor(options: DaemonServerOptions) {
    this.#queue = options.queue;
    this.#journal = options.journal;
    this.#logger = options.logger;
    this.#serverName = options.serverName;
    this.#onShutdownRequest = options.onShutdownRequest;
    this.#maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
    this.#hasRoom = options.hasRoom ?? (() => false);
    this.#helloTimeoutMs = options.helloTimeoutMs ?? 10_000;
    this.#unsubscribeQueue = this.#queue.subscribe((event) => this.#onEvent(event));
    this.#server = createServer((socket) => this.#accept(socket));
  }

  /** Marks a restored job as having had secrets, so it is journaled that way again. */
  rememberSecretParams(params: unknown): void {
    if (typeof params === 'object' && params !== null) this.#paramsWithSecrets.add(params);
  }

  /**
   * Listens on `socketPath` and makes the socket 0600 (its folder is already 0700). A Windows
   * named pipe has no mode: its default ACL lets only this user (and admins) open it for writing.
   */
  listen(socketPath: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(socketPath, () => {
        this.#server.off('error', reject);
        if (!isNamedPipe(socketPath)) chmodSync(socketPath, 0o600);
        resolve();
      });
    });
  }

  /** Stops accepting connections; open ones keep working until {@link DaemonServer.closeConnections}. */
  stopAccepting(): void {
    this.#server.close();
  }

  /**
   * Takes every queued job out of the queue without journaling it, so it stays queued on disk
   * and runs after the next start. Used by a shutdown that should not wait for the whole queue.
   */
  parkQueuedJobs(): number {
    let parked = 0;
    for (const job of this.#queue.list()) {
      if (job.state !== 'queued') continue;
      this.#parked.add(job.id);
      this.#queue.remove(job.id);
      parked++;
    }
    return parked;
  }

  /**
   * Journals a cancel request for every running job, before a stop cancels them: a daemon killed
   * while they wind down then ends them `canceled` on restart instead of running them again.
   */
  journalCancelOfRunning(): void {
    const at = Date.now();
    for (const job of this.#queue.list()) {
      if (job.state === 'running' && job.cancelRequested !== true)
        this.#append({ type: 'cancel', id: job.id, at });
    }
    this.#flushJournal();
  }

  /** Ends every connection and stops listening to the queue. */
  closeConnections(): void {
    this.#unsubscribeQueue();
    for (const connection of this.#connections) connection.end();
  }

  #accept(socket: import('node:net').Socket): void {
    const connection: DaemonConnection = new DaemonConnection(
      socket,
      this.#maxFrameBytes,
      (text) => this.#onFrame(connection, text),
      this.#flushJournal,
    );
    this.#connections.add(connection);
    connection.helloTimer = setTimeout(() => this.#helloTimedOut(connection), this.#helloTimeoutMs);
    // Pending timers must not keep a stopping daemon alive.
    connection.helloTimer.unref();
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.#forget(connection));
  }

  #helloTimedOut(connection: DaemonConnection): void {
    connection.helloTimer = undefined;
    if (connection.greeted || connection.closed) return;
    connection.respondError(
      null,
      new KwqmError('TIMEOUT', `No \`hello\` within ${this.#helloTimeoutMs} ms of connecting`, {
        details: { helloTimeoutMs: this.#helloTimeoutMs },
      }),
    );
    connection.end();
    this.#logger.debug('Closed a connection that sent no hello', { helloTimeoutMs: this.#helloTimeoutMs });
  }

  #forget(connection: DaemonConnection): void {
    clearTimeout(connection.helloTimer);
    this.#connections.delete(connection);
    this.#subscriptions.forget(connection);
    // A submit still waiting for room has no job yet, and nobody is left to learn its id: give it up.
    // Jobs already queued stay: a client that disconnects does not cancel its jobs.
    for (const controller of connection.pendingSubmits.values()) {
      controller.abort(new KwqmError('ABORTED', 'The client disconnected while its submit waited for room'));
    }
    this.#logger.debug('Client disconnected', { client: connection.clientName });
  }

  #onFrame(connection: DaemonConnection, text: string): void {
    let request: ProtocolRequest;
    try {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new KwqmError('PROTOCOL_ERROR', 'A frame is not valid JSON');
      }
      request = parseRequest(value);
    } catch (error) {
      const kwqmError = KwqmError.from(error, 'PROTOCOL_ERROR');
      const requestId = kwqmError.details?.requestId;
      connection.respondError(typeof requestId === 'number' ? requestId : null, kwqmError);
      this.#logger.debug('Rejected a malformed request', {
        client: connection.clientName,
        code: kwqmError.code,
      });
      return;
    }
    if (!connection.greeted && request.type !== 'hello') {
      connection.respondError(
        request.id,
        new KwqmError('PROTOCOL_ERROR', 'The first request on a connection must be `hello`'),
      );
      return;
    }
    if (request.type === 'submit') {
      // The hot path, straight to #submit (it answers by itself): no generic handler around it.
      this.#submit(connection, request).catch((error: unknown) =>
        connection.respondError(request.id, KwqmError.from(error)),
      );
      return;
    }
    this.#handle(connection, request).then(
      (result) => {
        if (result !== ALREADY_ANSWERED) connection.respond(request.id, result);
      },
      (error: unknown) => connection.respondError(request.id, KwqmError.from(error)),
    );
  }

  async #handle(connection: DaemonConnection, request: ProtocolRequest): Promise<unknown> {
    switch (request.type) {
      case 'hello':
        return this.#hello(connection, request);
      case 'submit':
        return this.#submit(connection, request);
      case 'abort-submit': {
        const controller = connection.pendingSubmits.get(request.submitId);
        controller?.abort(new KwqmError('ABORTED', 'The client gave up the submit while it waited for room'));
        return { aborted: controller !== undefined } satisfies ProtocolResults['abort-submit'];
      }
      case 'remove':
        return { job: this.#queue.remove(request.jobId) } satisfies ProtocolResults['remove'];
      case 'set-priority':
        return {
          job: this.#queue.setPriority(request.jobId, request.priority),
        } satisfies ProtocolResults['set-priority'];
      case 'cancel':
        return { job: this.#cancel(request.jobId) } satisfies ProtocolResults['cancel'];
      case 'list':
        return { jobs: this.#list(request.includeFinished) } satisfies ProtocolResults['list'];
      case 'get':
        return { job: this.#get(request.jobId) ?? null } satisfies ProtocolResults['get'];
      case 'subscribe':
        return this.#subscribe(connection, request);
      case 'unsubscribe':
        if (request.all) this.#subscriptions.unsubscribeAll(connection);
        for (const id of request.jobIds) this.#subscriptions.unwatch(connection, id);
        return {} satisfies ProtocolResults['unsubscribe'];
      case 'shutdown':
        this.#logger.info('Shutdown requested', {
          client: connection.clientName,
          cancelRunning: request.cancelRunning,
        });
        // Answer first: the caller learns the request was taken before its connection closes.
        setImmediate(() => this.#onShutdownRequest(request.cancelRunning));
        return {} satisfies ProtocolResults['shutdown'];
    }
  }

  #hello(connection: DaemonConnection, request: ProtocolRequestOf<'hello'>): ProtocolResults['hello'] {
    if (request.protocolVersion !== PROTOCOL_VERSION) {
      // The rest of the stream may mean something else in that version: answer, then hang up.
      setImmediate(() => connection.end());
      throw new KwqmError(
        'PROTOCOL_ERROR',
        `This daemon speaks protocol version ${PROTOCOL_VERSION}, the client ${request.protocolVersion}`,
        { details: { expected: PROTOCOL_VERSION, got: request.protocolVersion } },
      );
    }
    connection.greeted = true;
    clearTimeout(connection.helloTimer);
    connection.helloTimer = undefined;
    connection.clientName = request.client;
    this.#logger.debug('Client connected', { client: request.client });
    return { protocolVersion: PROTOCOL_VERSION, server: this.#serverName, pid: process.pid };
  }

  /**
   * Answers once the job is queued. The answer goes out from the job's `queued` event, which the
   * queue emits before it hands the job to a worker: the submitter does not wait for that
   * hand-off (a thread message), and it is subscribed from that moment, so it sees every later
   * event. Either way the response is written before any event of the job on that connection.
   */
  async #submit(
    connection: DaemonConnection,
    request: ProtocolRequestOf<'submit'>,
  ): Promise<typeof ALREADY_ANSWERED> {
    const { spec } = request;
    if (spec.secrets !== undefined) {
      // The journal recognises a job with secrets by its params object (the queue's event does
      // not carry secrets), so secrets need params that are an object.
      if (typeof spec.params !== 'object' || spec.params === null) {
        throw new KwqmError('INVALID_JOB', 'A job with `secrets` needs `params` to be an object', {
          details: { field: 'params' },
        });
      }
      this.#paramsWithSecrets.add(spec.params);
    }
    // Only a submit that will wait can be aborted, so only it needs a controller.
    const controller = this.#hasRoom() ? undefined : new AbortController();
    if (controller !== undefined) connection.pendingSubmits.set(request.id, controller);
    const accepting = typeof spec.params === 'object' && spec.params !== null ? spec.params : undefined;
    if (accepting !== undefined) this.#accepting.set(accepting, { connection, requestId: request.id });
    let id: string;
    try {
      const handle = await this.#queue.submit(
        spec as JobSpec,
        controller === undefined ? undefined : { signal: controller.signal },
      );
      // Nobody may await this promise (the client learns the end by event); keep it from being unhandled.
      handle.result.catch(() => {});
      id = handle.id;
    } finally {
      connection.pendingSubmits.delete(request.id);
      if (accepting !== undefined) this.#accepting.delete(accepting);
    }
    if (this.#answered.delete(id)) return ALREADY_ANSWERED;
    const job = this.#queue.get(id) as JobSnapshot;
    connection.respond(request.id, { job } satisfies ProtocolResults['submit']);
    if (isFinalState(job.state)) {
      // It ended before this connection could subscribe: deliver the final event by hand.
      if (!connection.subscribedAll) {
        connection.writeFrame(encodeFrame({ event: { type: job.state, job } }, MAX_SERVER_FRAME_BYTES));
      }
    } else {
      this.#subscriptions.watch(connection, id);
    }
    this.#logger.debug('Job submitted', {
      client: connection.clientName,
      jobId: id,
      operation: spec.operation,
    });
    return ALREADY_ANSWERED;
  }

  /**
   * A running job's cancel raises no queue event (the job stays `running` until its worker
   * stops), so it is journaled here: a daemon killed before the worker stopped would otherwise
   * run the job again on restart. The record is written before the answer (every frame flushes
   * the journal first), so a client told "cancel requested" never sees that job rerun.
   */
  #cancel(id: string): JobSnapshot {
    const wasRequested = this.#queue.get(id)?.cancelRequested === true;
    const job = this.#queue.cancel(id);
    if (job.state === 'running' && !wasRequested) {
      this.#append({ type: 'cancel', id, at: Date.now() });
    }
    return job;
  }

  #subscribe(
    connection: DaemonConnection,
    request: ProtocolRequestOf<'subscribe'>,
  ): ProtocolResults['subscribe'] {
    if (request.all) this.#subscriptions.subscribeAll(connection);
    const jobs: JobSnapshot[] = [];
    for (const id of request.jobIds) {
      const job = this.#get(id);
      if (job === undefined) continue;
      jobs.push(job);
      if (!isFinalState(job.state)) this.#subscriptions.watch(connection, id);
    }
    return { jobs };
  }

  #get(id: string): JobSnapshot | undefined {
    return this.#queue.get(id) ?? this.#journal.finished(id);
  }

  #list(includeFinished: boolean): JobSnapshot[] {
    const jobs = this.#queue.list({ includeFinished });
    if (!includeFinished) return jobs;
    // Jobs finished before this daemon started are only in the journal's history (newest first).
    const seen = new Set(jobs.map((job) => job.id));
    for (const job of this.#journal.history()) if (!seen.has(job.id)) jobs.push(job);
    return jobs;
  }

  #onEvent(event: QueueEvent): void {
    const id = event.type === 'progress' ? event.jobId : event.job.id;
    if (this.#parked.has(id)) {
      this.#parked.delete(id);
      return;
    }
    this.#record(event);
    // Looked up before the submit is answered: the submitter learns `queued` from the response
    // and needs no second frame saying the same.
    const watchers = this.#subscriptions.watchersOf(id);
    if (event.type === 'queued') this.#answerSubmit(event.job);
    if (this.#subscriptions.isUnwatched(watchers)) return;
    let frame: string;
    try {
      frame = encodeFrame({ event }, MAX_SERVER_FRAME_BYTES);
    } catch (error) {
      this.#logger.error('An event does not fit in a frame', { jobId: id, code: KwqmError.from(error).code });
      return;
    }
    this.#subscriptions.publish(id, frame, watchers, FINAL_TYPES.has(event.type));
  }

  #answerSubmit(job: JobSnapshot): void {
    if (typeof job.params !== 'object' || job.params === null) return;
    const waiting = this.#accepting.get(job.params);
    if (waiting === undefined) return;
    this.#accepting.delete(job.params);
    waiting.connection.respond(waiting.requestId, { job } satisfies ProtocolResults['submit']);
    this.#subscriptions.watch(waiting.connection, job.id);
    this.#answered.add(job.id);
    this.#logger.debug('Job submitted', { client: waiting.connection.clientName, jobId: job.id });
  }

  /** Journals what a restart needs (see journalRecordOf), and logs each job's end. */
  #record(event: QueueEvent): void {
    const record = journalRecordOf(event, this.#hadSecrets);
    if (record === undefined) return;
    if (!this.#append(record)) return;
    if (record.type === 'finished') {
      const { job } = record;
      this.#logger.info('Job finished', {
        jobId: job.id,
        operation: job.operation,
        state: job.state,
        code: job.error?.code,
      });
    }
  }

  /** Appends to the journal; a write error is logged (the daemon keeps serving) and returns false. */
  #append(record: JournalRecord): boolean {
    try {
      this.#journal.append(record);
      return true;
    } catch (error) {
      this.#logger.error('Could not write the journal', { code: KwqmError.from(error, 'IO_ERROR').code });
      return false;
    }
  }

  readonly #hadSecrets = (params: unknown): boolean =>
    typeof params === 'object' && params !== null && this.#paramsWithSecrets.has(params);
}
