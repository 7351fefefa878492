export { KWQM_ERROR_CODES, ERRNO_BY_CODE, isKwqmErrorCode } from './error-codes.js';
export type { KwqmErrorCode } from './error-codes.js';
export { KwqmError } from './kwqm-error.js';
export type { KwqmErrorOptions, SerializedKwqmError } from './kwqm-error.js';
export { PRIORITIES, DEFAULT_PRIORITY, isPriority } from './priority.js';
export type { Priority } from './priority.js';
export { isFinalState } from './job.js';
export type {
  AnyOperationMap,
  FinalJobState,
  JobProgress,
  JobSnapshot,
  JobSpec,
  JobState,
  OperationDefinition,
  OperationMap,
  OperationName,
  RunnableJob,
} from './job.js';
export type { ExecutionContext, Executor } from './executor.js';
export { systemClock } from './clock.js';
export type { Clock, TimerHandle } from './clock.js';
export { FINAL_EVENT_TYPES } from './queue-events.js';
export type { QueueEvent, QueueEventOf, QueueEventType, Unsubscribe } from './queue-events.js';
export type { JobHandle, ListOptions, QueueService, SubmitOptions } from './queue-service.js';

// protocol
export { PROTOCOL_VERSION, MAX_FRAME_BYTES } from './protocol/protocol-version.js';
export { parseRequest } from './protocol/parse-request.js';
export { parseServerMessage, parseQueueEvent, parseJobSnapshot } from './protocol/parse-server-message.js';
export type {
  ProtocolEventMessage,
  ProtocolRequest,
  ProtocolRequestOf,
  ProtocolRequestType,
  ProtocolResponse,
  ProtocolResults,
  RequestId,
  ServerMessage,
  WireJobSpec,
} from './protocol/protocol-messages.js';
