import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { FINAL_EVENT_TYPES, isPriority, type JobSnapshot } from '@kwqm/core';
import type { DaemonLogger } from './daemon-logger.js';
import type { JournaledJob, JournalRecord } from './journal-records.js';

const FINAL_STATES: ReadonlySet<string> = new Set(FINAL_EVENT_TYPES);

/** Options of {@link JobJournal.open}. */
export interface JobJournalOptions {
  /** Where warnings about skipped lines go. */
  readonly logger: DaemonLogger;
  /** Finished jobs kept for `list({ includeFinished })` and `get`. @default 1000 */
  readonly historyLimit?: number;
  /** Rewrite the file once it holds this many records more than the live state needs. @default 10000 */
  readonly compactAfter?: number;
  /** How long appended records may sit in the page cache before an `fdatasync`. @default 100 */
  readonly syncIntervalMs?: number;
}

/** A job that was queued or running when the journal was last written. */
export interface RestoredJob extends JournaledJob {
  /** It had started: its output may have been begun (outputs are atomic, so a rerun is safe). */
  readonly wasRunning: boolean;
  /** A cancel was requested while it ran: a restart ends it `canceled` instead of rerunning it. */
  readonly cancelRequested?: true;
}

/**
 * A live job as the journal tracks it. The record's job object is kept as it is (not copied:
 * appending is on the path of every submit's answer), with what later records said beside it.
 */
interface LiveJob {
  job: JournaledJob;
  wasRunning: boolean;
  cancelRequested: boolean;
}

/**
 * The daemon's append-only NDJSON journal. Durability policy: records are buffered and written
 * with one `writeSync` by {@link JobJournal.flush}, which the daemon calls before it writes any
 * response or event to a socket (and a microtask calls after every append), so a daemon crash
 * (`kill -9`) loses nothing it acknowledged; `fdatasync` runs at most every `syncIntervalMs`
 * and on close, so a power loss can lose the last fraction of a second — the price of not
 * paying a disk flush per submit. The file is rewritten (temp file, fsync, rename) on open and
 * whenever it holds `compactAfter` records beyond the live jobs and the history.
 */
export class JobJournal {
  readonly #path: string;
  readonly #logger: DaemonLogger;
  readonly #historyLimit: number;
  readonly #compactAfter: number;
  readonly #syncIntervalMs: number;
  readonly #live = new Map<string, LiveJob>();
  /** Finished snapshots by id, oldest first (Map keeps insertion order). */
  readonly #history = new Map<string, JobSnapshot>();
  #fd: number;
  #records = 0;
  /** Records appended but not yet written; see {@link JobJournal.flush}. */
  #buffer = '';
  #flushQueued = false;
  #syncTimer: NodeJS.Timeout | undefined;

  private constructor(path: string, options: JobJournalOptions) {
    this.#path = path;
    this.#logger = options.logger;
    this.#historyLimit = options.historyLimit ?? 1000;
    this.#compactAfter = options.compactAfter ?? 10_000;
    this.#syncIntervalMs = options.syncIntervalMs ?? 100;
    this.#fd = -1;
  }

  /** Reads the journal (skipping corrupt lines with a warning), compacts it and opens it for appending. */
  static open(path: string, options: JobJournalOptions): JobJournal {
    const journal = new JobJournal(path, options);
    journal.#load();
    journal.#compact();
    return journal;
  }

  /** Jobs that were queued or running, in the order they were queued, with their latest priority. */
  restoredJobs(): RestoredJob[] {
    return [...this.#live.values()].map(({ job, wasRunning, cancelRequested }) => ({
      ...job,
      wasRunning,
      ...(cancelRequested ? { cancelRequested: true as const } : {}),
    }));
  }

  /** Finished jobs, newest first. */
  history(): JobSnapshot[] {
    return [...this.#history.values()].reverse();
  }

  /** A finished job from the history, or `undefined`. */
  finished(id: string): JobSnapshot | undefined {
    return this.#history.get(id);
  }

  /** Appends one record and applies it to the in-memory state. */
  append(record: JournalRecord): void {
    this.#apply(record);
    this.#buffer += `${JSON.stringify(record)}\n`;
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.flush());
    }
    this.#records += 1;
    if (this.#records > this.#compactAfter + this.#live.size + this.#history.size) this.#compact();
    else this.#scheduleSync();
  }

  /** Writes buffered records to the file (one `write`); cheap when there are none. */
  flush(): void {
    this.#flushQueued = false;
    if (this.#buffer === '' || this.#fd === -1) return;
    const text = this.#buffer;
    this.#buffer = '';
    writeSync(this.#fd, text);
  }

  /** Flushes to disk and closes the file. */
  close(): void {
    if (this.#fd === -1) return;
    this.flush();
    clearTimeout(this.#syncTimer);
    this.#syncTimer = undefined;
    fdatasyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = -1;
  }

  #load(): void {
    let text: string;
    try {
      text = readFileSync(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const lines = text.split('\n');
    for (const [index, line] of lines.entries()) {
      if (line === '') continue;
      const record = parseRecord(line);
      if (record === undefined) {
        // A crash can leave the last line half-written; anything else is damage. Either way the
        // rest of the journal is still good, so skip the line and say so.
        this.#logger.warn('Skipping a corrupt journal line', {
          line: index + 1,
          last: index === lines.length - 1,
        });
        continue;
      }
      this.#apply(record);
    }
  }

  #apply(record: JournalRecord): void {
    switch (record.type) {
      case 'queued':
        this.#live.set(record.job.id, { job: record.job, wasRunning: false, cancelRequested: false });
        break;
      case 'started': {
        const live = this.#live.get(record.id);
        if (live !== undefined) live.wasRunning = true;
        break;
      }
      case 'priority': {
        const live = this.#live.get(record.id);
        if (live !== undefined) live.job = { ...live.job, priority: record.priority };
        break;
      }
      case 'cancel': {
        const live = this.#live.get(record.id);
        if (live !== undefined) live.cancelRequested = true;
        break;
      }
      case 'finished':
        this.#live.delete(record.job.id);
        this.#history.delete(record.job.id);
        this.#history.set(record.job.id, record.job);
        while (this.#history.size > this.#historyLimit) {
          const oldest = this.#history.keys().next().value as string;
          this.#history.delete(oldest);
        }
        break;
    }
  }

  /** Rewrites the file from the in-memory state: history oldest first, then live jobs in queue order. */
  #compact(): void {
    // The in-memory state already holds what the buffer says; the rewrite supersedes it.
    this.#buffer = '';
    const lines: string[] = [];
    for (const job of this.#history.values()) lines.push(JSON.stringify({ type: 'finished', job }));
    for (const { job, wasRunning, cancelRequested } of this.#live.values()) {
      lines.push(JSON.stringify({ type: 'queued', job }));
      if (wasRunning) lines.push(JSON.stringify({ type: 'started', id: job.id, at: job.createdAt }));
      if (cancelRequested) lines.push(JSON.stringify({ type: 'cancel', id: job.id, at: job.createdAt }));
    }
    const temporary = `${this.#path}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.#path);
    syncDirectory(dirname(this.#path));
    if (this.#fd !== -1) closeSync(this.#fd);
    this.#fd = openSync(this.#path, 'a', 0o600);
    this.#records = lines.length;
  }

  #scheduleSync(): void {
    if (this.#syncTimer !== undefined) return;
    this.#syncTimer = setTimeout(() => {
      this.#syncTimer = undefined;
      // On the thread pool: a flush can take tens of ms on a busy disk, and the daemon keeps
      // answering meanwhile (appends during a flush are simply covered by the next one).
      if (this.#fd !== -1) fdatasync(this.#fd, () => {});
    }, this.#syncIntervalMs);
    this.#syncTimer.unref();
  }
}

function syncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads one journal line; `undefined` for anything not a well-formed record. */
function parseRecord(line: string): JournalRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  switch (record.type) {
    case 'queued': {
      const job = record.job as Record<string, unknown> | null | undefined;
      if (
        typeof job !== 'object' ||
        job === null ||
        typeof job.id !== 'string' ||
        typeof job.operation !== 'string' ||
        !isPriority(job.priority) ||
        typeof job.createdAt !== 'number' ||
        typeof job.hadSecrets !== 'boolean'
      ) {
        return undefined;
      }
      return value as JournalRecord;
    }
    case 'started':
    case 'cancel':
      return typeof record.id === 'string' && typeof record.at === 'number'
        ? (value as JournalRecord)
        : undefined;
    case 'priority':
      return typeof record.id === 'string' && isPriority(record.priority)
        ? (value as JournalRecord)
        : undefined;
    case 'finished': {
      const job = record.job as Record<string, unknown> | null | undefined;
      return typeof job === 'object' &&
        job !== null &&
        typeof job.id === 'string' &&
        FINAL_STATES.has(job.state as string)
        ? (value as JournalRecord)
        : undefined;
    }
    default:
      return undefined;
  }
}
