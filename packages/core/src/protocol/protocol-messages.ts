import type { JobSnapshot } from '../job.js';
import type { SerializedKwqmError } from '../kwqm-error.js';
import type { Priority } from '../priority.js';
import type { QueueEvent } from '../queue-events.js';

/** A request id: chosen by the client, echoed in the response. A non-negative safe integer. */
export type RequestId = number;

/** The job a client submits over the wire. Secrets travel once, to the daemon's memory only. */
export interface WireJobSpec {
  readonly operation: string;
  readonly params: unknown;
  /** Held in the daemon's memory only: never journaled, listed, logged or sent to other clients. */
  readonly secrets?: Readonly<Record<string, unknown>>;
  /** @default 'medium' */
  readonly priority?: Priority;
  readonly label?: string;
}

/** Every request a client can send, by `type`. Each carries the client's request `id`. */
export type ProtocolRequest =
  /** Must be the first request on a connection. */
  | {
      readonly id: RequestId;
      readonly type: 'hello';
      readonly protocolVersion: number;
      readonly client: string;
    }
  /** Answered once the job is queued (after any throttle wait); the sender is subscribed to it. */
  | { readonly id: RequestId; readonly type: 'submit'; readonly spec: WireJobSpec }
  /** Gives up a `submit` (named by its request id) that is still waiting for room. */
  | { readonly id: RequestId; readonly type: 'abort-submit'; readonly submitId: RequestId }
  | { readonly id: RequestId; readonly type: 'remove'; readonly jobId: string }
  | {
      readonly id: RequestId;
      readonly type: 'set-priority';
      readonly jobId: string;
      readonly priority: Priority;
    }
  | { readonly id: RequestId; readonly type: 'cancel'; readonly jobId: string }
  | { readonly id: RequestId; readonly type: 'list'; readonly includeFinished: boolean }
  | { readonly id: RequestId; readonly type: 'get'; readonly jobId: string }
  /** Events of these jobs (`jobIds`) or of every job (`all: true`) are pushed to this connection. */
  | {
      readonly id: RequestId;
      readonly type: 'subscribe';
      readonly jobIds: readonly string[];
      readonly all: boolean;
    }
  | {
      readonly id: RequestId;
      readonly type: 'unsubscribe';
      readonly jobIds: readonly string[];
      readonly all: boolean;
    }
  /** Stops the daemon: running jobs finish, or are canceled with `cancelRunning`. Queued jobs stay journaled. */
  | { readonly id: RequestId; readonly type: 'shutdown'; readonly cancelRunning: boolean };

/** The name of a {@link ProtocolRequest}. */
export type ProtocolRequestType = ProtocolRequest['type'];

/** The request of one type. */
export type ProtocolRequestOf<T extends ProtocolRequestType> = Extract<ProtocolRequest, { type: T }>;

/** What each request type answers with on success. */
export interface ProtocolResults {
  readonly hello: { readonly protocolVersion: number; readonly server: string; readonly pid: number };
  readonly submit: { readonly job: JobSnapshot };
  readonly 'abort-submit': { readonly aborted: boolean };
  readonly remove: { readonly job: JobSnapshot };
  readonly 'set-priority': { readonly job: JobSnapshot };
  readonly cancel: { readonly job: JobSnapshot };
  readonly list: { readonly jobs: readonly JobSnapshot[] };
  readonly get: { readonly job: JobSnapshot | null };
  /** The current snapshots of the named jobs the daemon knows, so a reconnecting client can settle finished ones. */
  readonly subscribe: { readonly jobs: readonly JobSnapshot[] };
  readonly unsubscribe: Record<string, never>;
  readonly shutdown: Record<string, never>;
}

/** A response: the request's `id` and its result, or a typed error. */
export type ProtocolResponse =
  | { readonly id: RequestId; readonly ok: true; readonly result: unknown }
  /** `id` is `null` when the request was too malformed to read one. */
  | { readonly id: RequestId | null; readonly ok: false; readonly error: SerializedKwqmError };

/** A queue event pushed to a subscribed connection. */
export interface ProtocolEventMessage {
  readonly event: QueueEvent;
}

/** Anything the daemon sends. */
export type ServerMessage = ProtocolResponse | ProtocolEventMessage;
