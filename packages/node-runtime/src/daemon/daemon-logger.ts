import { appendFileSync, chmodSync, closeSync, openSync } from 'node:fs';

/** Levels of the daemon log, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A level of the daemon log. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Extra facts of a log line: plain values only. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Field names that could hold a secret; their values are never written, whoever passes them. */
const SECRET_FIELD = /pass|secret|identit|key|token/i;

/**
 * The daemon's log: one line per entry, `<ISO time> <LEVEL> <message> <json fields>`, appended
 * synchronously so the last lines before a crash are on disk. Secrets never reach it: callers
 * pass job ids and operation names, never params or secrets, and any field whose name looks like
 * a secret is written as `[redacted]` as a second line of defence.
 */
export class DaemonLogger {
  readonly #path: string;
  readonly #minimum: number;

  /** Creates the log file (0600) when missing. `level` below which entries are dropped. @default 'info' */
  constructor(path: string, level: LogLevel = 'info') {
    this.#path = path;
    this.#minimum = LOG_LEVELS.indexOf(level);
    closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
  }

  debug(message: string, fields?: LogFields): void {
    this.#write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.#write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.#write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.#write('error', message, fields);
  }

  #write(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (LOG_LEVELS.indexOf(level) < this.#minimum) return;
    let line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}`;
    if (fields !== undefined) {
      const safe: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(fields)) {
        if (value !== undefined) safe[name] = SECRET_FIELD.test(name) ? '[redacted]' : value;
      }
      line += ` ${JSON.stringify(safe)}`;
    }
    try {
      appendFileSync(this.#path, `${line}\n`);
    } catch {
      // A full disk must not take the queue down with it; the journal reports its own errors.
    }
  }
}

/** True when `value` names a {@link LogLevel}. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}
