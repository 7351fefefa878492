import { KwqmError } from '../kwqm-error.js';
import { isPriority, type Priority } from '../priority.js';

// Small readers the validators share. Each throws `PROTOCOL_ERROR` naming the field, so a peer
// that sends a bad message learns which part was wrong; `requestId` (when readable) goes into
// `details` so the daemon can still answer the right request.

/** The longest id or operation name accepted; anything longer is not something we issued. */
export const MAX_NAME_LENGTH = 256;

/** A plain JSON object (not an array, not null). */
export type WireRecord = Readonly<Record<string, unknown>>;

/** Throws the one error shape of the protocol validators. */
export function protocolError(message: string, requestId?: number | null): KwqmError {
  return new KwqmError(
    'PROTOCOL_ERROR',
    message,
    requestId === undefined || requestId === null ? {} : { details: { requestId } },
  );
}

/** Describes a value for an error message without echoing it (it may hold a secret). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function isRecord(value: unknown): value is WireRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isRequestId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function readRecord(value: unknown, what: string, requestId?: number): WireRecord {
  if (!isRecord(value))
    throw protocolError(`Expected ${what} to be an object, got ${describe(value)}`, requestId);
  return value;
}

export function readName(record: WireRecord, field: string, requestId?: number): string {
  const value = record[field];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) {
    throw protocolError(
      `Expected \`${field}\` to be a non-empty string of at most ${MAX_NAME_LENGTH} characters, got ${describe(value)}`,
      requestId,
    );
  }
  return value;
}

export function readPriority(record: WireRecord, field: string, requestId?: number): Priority {
  const value = record[field];
  if (!isPriority(value)) {
    throw protocolError(
      `Expected \`${field}\` to be 'high', 'medium' or 'low', got ${describe(value)}`,
      requestId,
    );
  }
  return value;
}

export function readOptionalBoolean(record: WireRecord, field: string, requestId?: number): boolean {
  const value = record[field];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw protocolError(`Expected \`${field}\` to be a boolean, got ${describe(value)}`, requestId);
  }
  return value;
}

export function readNameList(record: WireRecord, field: string, requestId?: number): string[] {
  const value = record[field];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw protocolError(`Expected \`${field}\` to be an array of ids, got ${describe(value)}`, requestId);
  }
  return value.map((_, index) => readName(value as unknown as WireRecord, String(index), requestId));
}
