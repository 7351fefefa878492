import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KwqmError } from '@kwqm/core';
import { isLogLevel } from './daemon-logger.js';
import type { KwqmDaemonOptions } from './kwqm-daemon.js';

/**
 * The daemon's options from its environment, which is how `connectOrStart()` hands them to the
 * detached process: `KWQM_CONCURRENCY`, `KWQM_CAPACITY`, `KWQM_MAX_WAITING_PRODUCERS`,
 * `KWQM_HISTORY_LIMIT`, `KWQM_HELLO_TIMEOUT_MS`, `KWQM_LOG_LEVEL`, `KWQM_OPERATIONS` (custom operation modules,
 * a JSON array of URLs or absolute paths, or absolute paths separated by `:`) and `KWQM_WORKER_URL`
 * (the worker entry, a URL or an absolute path: for a bundled daemon). Paths come from
 * `resolveDaemonPaths()` (`KWQM_SOCKET`, `KWQM_STATE_DIR`, `XDG_RUNTIME_DIR`, `XDG_STATE_HOME`).
 * A bad value throws `INVALID_OPTION` in the house message shape.
 */
export function daemonOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): KwqmDaemonOptions {
  const options: { -readonly [Key in keyof KwqmDaemonOptions]: KwqmDaemonOptions[Key] } = {};
  const concurrency = integer(env, 'KWQM_CONCURRENCY', 1, false);
  if (concurrency !== undefined) options.concurrency = concurrency;
  const capacity = integer(env, 'KWQM_CAPACITY', 1, true);
  if (capacity !== undefined) options.capacity = capacity;
  const producers = integer(env, 'KWQM_MAX_WAITING_PRODUCERS', 0, true);
  if (producers !== undefined) options.maxWaitingProducers = producers;
  const history = integer(env, 'KWQM_HISTORY_LIMIT', 0, false);
  if (history !== undefined) options.historyLimit = history;
  const helloTimeout = integer(env, 'KWQM_HELLO_TIMEOUT_MS', 1, false);
  if (helloTimeout !== undefined) options.helloTimeoutMs = helloTimeout;
  const level = env.KWQM_LOG_LEVEL;
  if (level !== undefined && level !== '') {
    if (!isLogLevel(level)) {
      throw new KwqmError(
        'INVALID_OPTION',
        `Expected \`KWQM_LOG_LEVEL\` to be debug, info, warn or error, got \`${level}\``,
        { details: { option: 'KWQM_LOG_LEVEL' } },
      );
    }
    options.logLevel = level;
  }
  const operations = env.KWQM_OPERATIONS;
  if (operations !== undefined && operations !== '') {
    options.operations = parseOperations(operations);
  }
  // A bundled daemon (a CommonJS one cannot tell where it is) is told where its worker entry is.
  const workerUrl = env.KWQM_WORKER_URL;
  if (workerUrl !== undefined && workerUrl !== '') options.workerUrl = toUrl('KWQM_WORKER_URL', workerUrl);
  return options;
}

/** A JSON array of URLs or absolute paths, or absolute paths separated by `:`. */
function parseOperations(text: string): string[] {
  let entries: unknown;
  if (text.startsWith('[')) {
    try {
      entries = JSON.parse(text);
    } catch {
      entries = undefined;
    }
    if (!Array.isArray(entries) || !entries.every((entry) => typeof entry === 'string')) {
      throw new KwqmError('INVALID_OPTION', 'Expected `KWQM_OPERATIONS` to be a JSON array of strings', {
        details: { option: 'KWQM_OPERATIONS' },
      });
    }
  } else {
    entries = text.split(':').filter((entry) => entry !== '');
  }
  return (entries as string[]).map((entry) => toUrl('KWQM_OPERATIONS', entry));
}

/** A URL (`file:`, `data:`…) as it is, or an absolute path as a `file:` URL. */
function toUrl(name: string, entry: string): string {
  if (/^[a-z]+:/.test(entry)) return entry;
  if (!isAbsolute(entry)) {
    throw new KwqmError(
      'INVALID_OPTION',
      `Expected \`${name}\` ${name === 'KWQM_OPERATIONS' ? 'entries to be absolute paths' : 'to be a URL or an absolute path'}, got \`${entry}\``,
      { details: { option: name } },
    );
  }
  return pathToFileURL(entry).href;
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  minimum: number,
  allowInfinity: boolean,
): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  if (allowInfinity && text === 'Infinity') return Number.POSITIVE_INFINITY;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) {
    throw new KwqmError(
      'INVALID_OPTION',
      `Expected \`${name}\` to be an integer >= ${minimum}${allowInfinity ? ' or Infinity' : ''}, got \`${text}\` (string)`,
      { details: { option: name } },
    );
  }
  return value;
}
