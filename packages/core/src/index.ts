export type { Clock, TimerHandle } from './clock.js';
export { systemClock } from './clock.js';
export { createQueueService } from './create-queue-service.js';
// protocol
export { describeValue, invalidOption } from './describe-value.js';
export type { KwqmErrorCode } from './error-codes.js';
export { ERRNO_BY_CODE, isKwqmErrorCode, KWQM_ERROR_CODES } from './error-codes.js';
export { EventHub } from './event-hub.js';
export type { ExecutionContext, Executor } from './executor.js';
export type { OperationFunction, OperationFunctions, OperationsOf } from './function-executor.js';
export { functionExecutor } from './function-executor.js';
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
export { isFinalState } from './job.js';
export type { KwqmErrorOptions, SerializedKwqmError } from './kwqm-error.js';
export { KwqmError } from './kwqm-error.js';
export { ManualClock } from './manual-clock.js';
export { mapFewAtATime } from './map-few-at-a-time.js';
export type { Priority } from './priority.js';
export { DEFAULT_PRIORITY, isPriority, PRIORITIES } from './priority.js';
export type { PriorityQueueItem, PriorityQueueLinks } from './priority-queue.js';
export { PriorityQueue } from './priority-queue.js';
export type { PriorityQueuePort } from './priority-queue-port.js';
export { parseRequest } from './protocol/parse-request.js';
export { parseJobSnapshot, parseQueueEvent, parseServerMessage } from './protocol/parse-server-message.js';
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
export { MAX_FRAME_BYTES, MAX_SERVER_FRAME_BYTES, PROTOCOL_VERSION } from './protocol/protocol-version.js';
export type { QueueEvent, QueueEventOf, QueueEventType, Unsubscribe } from './queue-events.js';
export { FINAL_EVENT_TYPES } from './queue-events.js';
export type { JobHandle, ListOptions, QueueService, SubmitOptions } from './queue-service.js';
export type { ThrottleOptions } from './throttle.js';
export { Throttle } from './throttle.js';
export { validateSubmitOptions } from './validate-submit-options.js';
export type { CloseOptions, OperationResult, RestoreOptions } from './work-queue.js';
export { WorkQueue } from './work-queue.js';
export type { TypedExecutor, WorkQueueOptions } from './work-queue-options.js';
