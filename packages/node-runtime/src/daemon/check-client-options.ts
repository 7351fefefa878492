import { invalidOption } from '@kwqm/core';
import { checkKnownKeys, checkOptionalInteger, checkOptionalObject } from '../pool/option-checks.js';

// The client's options are checked before anything connects: a mistyped name (`socketpath`) would
// otherwise connect to the user's default daemon, and a wrong type surface as a socket error.

/** The option names of `DaemonClient.connect`. */
const DAEMON_CLIENT_OPTION_NAMES = [
  'socketPath',
  'connectTimeoutMs',
  'clientName',
  'reconnectTimeoutMs',
  'maxFrameBytes',
  'restartDaemon',
] as const;

/** The option names `connectOrStart` adds to the client's. */
const CONNECT_OR_START_OPTION_NAMES = ['startTimeoutMs', 'daemonEntry', 'env'] as const;

/** The longest delay a Node timer takes; a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function checkOptionalString(name: string, value: unknown, allowEmpty: boolean): void {
  if (value === undefined || (typeof value === 'string' && (allowEmpty || value.length > 0))) return;
  throw invalidOption(name, allowEmpty ? 'a string' : 'a non-empty string', value);
}

/** Throws `INVALID_OPTION` for a `DaemonClient.connect` option that is unknown, mistyped or out of range. */
export function checkDaemonClientOptions(
  what: string,
  options: unknown,
  known: readonly string[] = DAEMON_CLIENT_OPTION_NAMES,
): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption('options', 'an object', options);
  }
  checkKnownKeys(what, options, known);
  const given = options as Record<string, unknown>;
  checkOptionalString('socketPath', given.socketPath, false);
  checkOptionalInteger('connectTimeoutMs', given.connectTimeoutMs, 1, MAX_TIMER_MS);
  checkOptionalString('clientName', given.clientName, true);
  checkOptionalInteger('reconnectTimeoutMs', given.reconnectTimeoutMs, 0, MAX_TIMER_MS);
  checkOptionalInteger('maxFrameBytes', given.maxFrameBytes, 1);
  if (given.restartDaemon !== undefined && typeof given.restartDaemon !== 'function') {
    throw invalidOption('restartDaemon', 'a function', given.restartDaemon);
  }
}

/** Throws `INVALID_OPTION` for a `connectOrStart` option that is unknown, mistyped or out of range. */
export function checkConnectOrStartOptions(options: unknown): void {
  checkDaemonClientOptions('connectOrStart', options, [
    ...DAEMON_CLIENT_OPTION_NAMES,
    ...CONNECT_OR_START_OPTION_NAMES,
  ]);
  const given = options as Record<string, unknown>;
  checkOptionalInteger('startTimeoutMs', given.startTimeoutMs, 1, MAX_TIMER_MS);
  checkOptionalString('daemonEntry', given.daemonEntry, false);
  checkOptionalObject('env', given.env);
}
