import { isKwqmErrorCode } from '../error-codes.js';
import type { JobSnapshot, JobState } from '../job.js';
import type { SerializedKwqmError } from '../kwqm-error.js';
import { isPriority } from '../priority.js';
import type { QueueEvent } from '../queue-events.js';
import {
  describe,
  isRecord,
  isRequestId,
  protocolError,
  readName,
  readRecord,
  type WireRecord,
} from './field-readers.js';
import type { ServerMessage } from './protocol-messages.js';

const JOB_STATES: ReadonlySet<string> = new Set<JobState>([
  'queued',
  'running',
  'succeeded',
  'failed',
  'canceled',
  'removed',
]);

const SNAPSHOT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'queued',
  'started',
  'priority-changed',
  'succeeded',
  'failed',
  'canceled',
  'removed',
]);

/**
 * Checks a decoded frame from the daemon: a response (`{ id, ok, result | error }`) or a pushed
 * event (`{ event }`). The error of a failed response is checked to be a serialised `KwqmError`
 * (an unknown code is kept as a protocol error rather than guessed). Throws `PROTOCOL_ERROR`.
 */
export function parseServerMessage(value: unknown): ServerMessage {
  const record = readRecord(value, 'a daemon message');
  if ('event' in record) return { event: parseQueueEvent(record.event) };
  const id = record.id;
  if (record.ok === true) {
    if (!isRequestId(id))
      throw protocolError(`Expected response \`id\` to be a request id, got ${describe(id)}`);
    return { id, ok: true, result: record.result };
  }
  if (record.ok === false) {
    if (id !== null && !isRequestId(id)) {
      throw protocolError(`Expected response \`id\` to be a request id or null, got ${describe(id)}`);
    }
    return { id, ok: false, error: parseSerializedError(record.error) };
  }
  throw protocolError('Expected a response with `ok` true or false, or an `event`');
}

function parseSerializedError(value: unknown): SerializedKwqmError {
  const error = readRecord(value, '`error`');
  if (!isKwqmErrorCode(error.code)) throw protocolError(`Expected \`error.code\` to be a KWQM error code`);
  if (typeof error.message !== 'string') throw protocolError('Expected `error.message` to be a string');
  if (error.errno !== undefined && typeof error.errno !== 'string') {
    throw protocolError('Expected `error.errno` to be a string');
  }
  if (error.details !== undefined && !isRecord(error.details)) {
    throw protocolError('Expected `error.details` to be an object');
  }
  return error as unknown as SerializedKwqmError;
}

/** Checks one queue event as the daemon pushes it. */
export function parseQueueEvent(value: unknown): QueueEvent {
  const event = readRecord(value, '`event`');
  const type = event.type;
  if (type === 'progress') {
    readName(event, 'jobId');
    const progress = readRecord(event.progress, '`progress`');
    if (typeof progress.done !== 'number') throw protocolError('Expected `progress.done` to be a number');
    return event as unknown as QueueEvent;
  }
  if (typeof type !== 'string' || !SNAPSHOT_EVENT_TYPES.has(type)) {
    throw protocolError(
      `Unknown event type ${typeof type === 'string' ? `\`${type.slice(0, 64)}\`` : describe(type)}`,
    );
  }
  parseJobSnapshot(event.job);
  if (type === 'priority-changed' && !isPriority(event.from)) {
    throw protocolError('Expected `from` to be a priority');
  }
  return event as unknown as QueueEvent;
}

/** Checks the fields of a job snapshot every consumer relies on. */
export function parseJobSnapshot(value: unknown): JobSnapshot {
  const job: WireRecord = readRecord(value, '`job`');
  readName(job, 'id');
  readName(job, 'operation');
  if (!isPriority(job.priority)) throw protocolError('Expected `job.priority` to be a priority');
  if (typeof job.state !== 'string' || !JOB_STATES.has(job.state)) {
    throw protocolError('Expected `job.state` to be a job state');
  }
  if (typeof job.createdAt !== 'number') throw protocolError('Expected `job.createdAt` to be a number');
  if (job.error !== undefined) parseSerializedError(job.error);
  return job as unknown as JobSnapshot;
}
