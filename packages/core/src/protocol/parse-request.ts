import { isPriority } from '../priority.js';
import {
  describe,
  isRecord,
  isRequestId,
  MAX_NAME_LENGTH,
  protocolError,
  readName,
  readNameList,
  readOptionalBoolean,
  readPriority,
  readRecord,
  type WireRecord,
} from './field-readers.js';
import type { ProtocolRequest, WireJobSpec } from './protocol-messages.js';

/**
 * Checks a decoded frame from a client and returns it as a typed {@link ProtocolRequest}.
 * Unknown fields are ignored (an older daemon reads a newer client's optional extras);
 * a missing or mistyped field, an unknown `type` or a non-object throws a `KwqmError` with code
 * `PROTOCOL_ERROR`, carrying `details.requestId` when the request's id could be read.
 */
export function parseRequest(value: unknown): ProtocolRequest {
  const record = readRecord(value, 'a request');
  const id = record.id;
  if (!isRequestId(id)) {
    throw protocolError(`Expected \`id\` to be a non-negative integer, got ${describe(id)}`);
  }
  const type = record.type;
  switch (type) {
    case 'hello': {
      const protocolVersion = record.protocolVersion;
      if (typeof protocolVersion !== 'number' || !Number.isSafeInteger(protocolVersion)) {
        throw protocolError(
          `Expected \`protocolVersion\` to be an integer, got ${describe(protocolVersion)}`,
          id,
        );
      }
      return { id, type, protocolVersion, client: readName(record, 'client', id) };
    }
    case 'submit':
      return { id, type, spec: parseWireJobSpec(record.spec, id) };
    case 'abort-submit': {
      const submitId = record.submitId;
      if (!isRequestId(submitId)) {
        throw protocolError(`Expected \`submitId\` to be a request id, got ${describe(submitId)}`, id);
      }
      return { id, type, submitId };
    }
    case 'remove':
    case 'cancel':
    case 'get':
      return { id, type, jobId: readName(record, 'jobId', id) };
    case 'set-priority':
      return {
        id,
        type,
        jobId: readName(record, 'jobId', id),
        priority: readPriority(record, 'priority', id),
      };
    case 'list':
      return { id, type, includeFinished: readOptionalBoolean(record, 'includeFinished', id) };
    case 'subscribe':
    case 'unsubscribe': {
      const jobIds = readNameList(record, 'jobIds', id);
      const all = readOptionalBoolean(record, 'all', id);
      if (jobIds.length === 0 && !all) {
        throw protocolError(`Expected \`jobIds\` to name at least one job, or \`all\` to be true`, id);
      }
      return { id, type, jobIds, all };
    }
    case 'shutdown':
      return { id, type, cancelRunning: readOptionalBoolean(record, 'cancelRunning', id) };
    default:
      throw protocolError(
        `Unknown request type ${typeof type === 'string' ? `\`${type.slice(0, MAX_NAME_LENGTH)}\`` : describe(type)}`,
        id,
      );
  }
}

function parseWireJobSpec(value: unknown, id: number): WireJobSpec {
  const spec = readRecord(value, '`spec`', id);
  const operation = readName(spec, 'operation', id);
  if (!('params' in spec) || spec.params === undefined) {
    throw protocolError('Expected `spec.params` to be present', id);
  }
  const secrets = spec.secrets;
  if (secrets !== undefined && !isRecord(secrets)) {
    throw protocolError(`Expected \`spec.secrets\` to be an object, got ${describe(secrets)}`, id);
  }
  if (spec.priority !== undefined && !isPriority(spec.priority)) {
    throw protocolError(
      `Expected \`spec.priority\` to be 'high', 'medium' or 'low', got ${describe(spec.priority)}`,
      id,
    );
  }
  const label = spec.label;
  if (label !== undefined && (typeof label !== 'string' || label.length > 4 * MAX_NAME_LENGTH)) {
    throw protocolError(
      `Expected \`spec.label\` to be a string of at most ${4 * MAX_NAME_LENGTH} characters`,
      id,
    );
  }
  return {
    operation,
    params: spec.params,
    ...(secrets === undefined ? {} : { secrets: secrets as WireRecord }),
    ...(spec.priority === undefined ? {} : { priority: spec.priority }),
    ...(label === undefined ? {} : { label: label as string }),
  };
}
