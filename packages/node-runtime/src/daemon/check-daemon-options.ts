import { KwqmError } from '@kwqm/core';
import { checkKnownKeys, checkOptionalInteger } from '../pool/option-checks.js';
import { isLogLevel } from './daemon-logger.js';
import type { KwqmDaemonOptions } from './kwqm-daemon.js';

const OPTION_NAMES = [
  'paths',
  'concurrency',
  'capacity',
  'maxWaitingProducers',
  'historyLimit',
  'operations',
  'workerUrl',
  'logLevel',
  'compactAfter',
  'helloTimeoutMs',
] as const;

/**
 * Checks what only the daemon reads, before anything touches the disk; the queue and the pool
 * check the rest (capacity, producers, history, operation URLs) the same way when made.
 */
export function checkDaemonOptions(options: KwqmDaemonOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new KwqmError(
      'INVALID_OPTION',
      `Expected \`options\` to be an object, got \`${String(options)}\``,
      {
        details: { option: 'options' },
      },
    );
  }
  checkKnownKeys('KwqmDaemon.start', options, OPTION_NAMES);
  checkOptionalInteger('concurrency', options.concurrency, 1, 1024);
  checkOptionalInteger('compactAfter', options.compactAfter, 1);
  // A longer delay than a timer can hold would fire at once.
  checkOptionalInteger('helloTimeoutMs', options.helloTimeoutMs, 1, 2 ** 31 - 1);
  if (options.logLevel !== undefined && !isLogLevel(options.logLevel)) {
    throw new KwqmError(
      'INVALID_OPTION',
      `Expected \`logLevel\` to be 'debug', 'info', 'warn' or 'error', got \`${String(options.logLevel)}\``,
      { details: { option: 'logLevel' } },
    );
  }
}
