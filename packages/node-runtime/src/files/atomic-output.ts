import { randomBytes } from 'node:crypto';
import { writevSync } from 'node:fs';
import { type FileHandle, link, lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { KwqmError } from '@kwqm/core';
import { fileError } from './file-error.js';
import { reportTempFile } from './temp-file-listener.js';

/** Options of {@link openAtomicOutput}. */
export interface AtomicOutputOptions {
  /** Replace an existing file at the final path. Without it an existing output fails with `EEXIST`. @default false */
  readonly overwrite?: boolean;
  /** Permission bits of the new file (the umask still applies). @default 0o644 */
  readonly mode?: number;
  /**
   * Every this many bytes written, start flushing them to disk in the background (one
   * `fdatasync` at a time), so that {@link AtomicOutput.commit} has little left to flush.
   * @default 67108864 (64 MiB, {@link WRITE_BEHIND_BYTES})
   */
  readonly writeBehindBytes?: number;
}

/**
 * An output written to a temporary file beside its final path and moved into place only by
 * {@link AtomicOutput.commit}: readers never see a half-written file, and a failed or canceled
 * job leaves nothing behind once {@link AtomicOutput.abort} ran.
 */
export interface AtomicOutput {
  /** The absolute final path. */
  readonly path: string;
  /** The temporary file being written (`.<name>.kwqm-<random>.tmp` in the same folder). */
  readonly tempPath: string;
  /** Bytes written so far. */
  readonly bytesWritten: number;
  /**
   * Appends buffers in order, on the thread pool, in `writev` calls of at most
   * {@link WRITE_PIECE_BYTES} each.
   */
  write(chunks: readonly Uint8Array[]): Promise<void>;
  /**
   * Appends buffers in order on the calling thread, in `writev` calls of at most
   * {@link WRITE_PIECE_BYTES} each; the buffers may be reused as soon as it returns. For a worker
   * thread, where blocking is harmless and a write costs no hand-over to the thread pool.
   */
  writeSync(chunks: readonly Uint8Array[]): void;
  /**
   * Appends every chunk of `source` in order, gathered into one {@link AtomicOutput.write} per
   * `batchBytes` (default 512 KiB), so a stream of small chunks (zlib's, a
   * pipe's 64 KiB reads) costs a few large writes instead of many small ones. Waits for each
   * write before reading on, so memory stays at about one batch. Does not commit.
   */
  writeFrom(source: AsyncIterable<Uint8Array>, batchBytes?: number): Promise<void>;
  /** Flushes to disk (fsync), then moves the file into place. */
  commit(): Promise<void>;
  /** Closes and deletes the temporary file. Safe to call more than once and after a failed commit. */
  abort(): Promise<void>;
}

/**
 * After this many bytes, written data starts going to disk in the background (`fdatasync`, one
 * at a time) while the job goes on writing, so the flush before publishing has little left to
 * do. Measured on a 1 GiB encryption here: the final fsync fell from ~700–900 ms to ~50–100 ms
 * and the whole job took ~20 % less time (docs/performance-age.md).
 */
export const WRITE_BEHIND_BYTES = 64 * 1024 * 1024;

/**
 * The most bytes one write system call hands to the kernel. Linux (6.x, ext4 with large folios)
 * backs a write with page-cache folios about as large as the write, and on this project's VM
 * fresh large folios are sometimes very expensive to fill (the hypervisor backs their memory on
 * first touch): 1 GiB written by `dd … conv=fdatasync` took 0.9–1.0 s of which 0.2–0.4 s system
 * time with 64 or 128 KiB writes in every run, 0.9–1.6 s with 512 KiB writes, 2.3–4.0 s (1.6–3.0 s
 * system) with 1 or 2 MiB writes. Our 1 GiB encryption in the age benchmark went from 218–663
 * MiB/s per pass (one `writev` of ~512 KiB per block) to 521–668 (docs/performance-age.md).
 */
export const WRITE_PIECE_BYTES = 128 * 1024;

/** Default batch of {@link AtomicOutput.writeFrom}: large enough that the cost per write call vanishes. */
const WRITE_BATCH_BYTES = 512 * 1024;

/** Link errors of file systems without hard links, where commit falls back to check-then-rename. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EMLINK']);

/**
 * Creates the temporary file for an output at `finalPath`, failing at once with `EEXIST` when the
 * output exists and `overwrite` is not set, `EISDIR` when it is a directory, `EACCES`/`ENOENT`
 * when its folder is not writable or missing.
 *
 * Without `overwrite`, commit publishes the file with `link()` (which fails if the name was taken
 * meanwhile) and then removes the temporary name, so an output that appeared during the job is
 * never clobbered. On file systems without hard links it checks and renames (a tiny race).
 */
export async function openAtomicOutput(
  finalPath: string,
  options: AtomicOutputOptions = {},
): Promise<AtomicOutput> {
  const path = resolve(finalPath);
  const overwrite = options.overwrite ?? false;
  const { writeBehindBytes } = options;
  if (writeBehindBytes !== undefined && (!Number.isSafeInteger(writeBehindBytes) || writeBehindBytes < 1)) {
    throw new KwqmError(
      'INVALID_OPTION',
      `Expected \`writeBehindBytes\` to be an integer >= 1, got \`${writeBehindBytes}\` (${typeof writeBehindBytes})`,
      { details: { option: 'writeBehindBytes' } },
    );
  }
  const existing = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw fileError(error, path);
  });
  if (existing?.isDirectory())
    throw fileError(Object.assign(new Error('directory'), { code: 'EISDIR' }), path);
  if (existing !== undefined && !overwrite)
    throw fileError(Object.assign(new Error('exists'), { code: 'EEXIST' }), path);

  const tempPath = join(dirname(path), `.${basename(path)}.kwqm-${randomBytes(6).toString('hex')}.tmp`);
  // Reported before it exists: a worker terminated while the open is under way (it runs on
  // libuv's thread pool and may still create the file) leaves a name the pool removes anyway.
  reportTempFile(tempPath);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tempPath, 'wx', options.mode ?? 0o644);
  } catch (error) {
    // The folder's problem, reported against the path the user asked for; a missing folder is
    // named as such, since "<output> does not exist" reads as if the output were expected there.
    const errno = (error as NodeJS.ErrnoException | undefined)?.code;
    if (errno === 'ENOENT' || errno === 'ENOTDIR') {
      const folder = dirname(path);
      throw new KwqmError('ENOENT', `${path} cannot be created: folder ${folder} does not exist`, {
        cause: error,
        errno,
        details: { path, folder },
      });
    }
    throw fileError(error, path);
  }
  return new TempFileOutput(
    path,
    tempPath,
    handle,
    overwrite,
    options.writeBehindBytes ?? WRITE_BEHIND_BYTES,
  );
}

class TempFileOutput implements AtomicOutput {
  readonly path: string;
  readonly tempPath: string;
  #handle: FileHandle | undefined;
  #overwrite: boolean;
  readonly #writeBehindBytes: number;
  #bytesWritten = 0;
  #settled = false;
  /** Bytes written when the last background flush started. */
  #flushStartedAt = 0;
  /** The background flush in flight; it never rejects (its error is kept for commit). */
  #flushing: Promise<void> | undefined = undefined;
  #flushError: unknown = undefined;

  constructor(
    path: string,
    tempPath: string,
    handle: FileHandle,
    overwrite: boolean,
    writeBehindBytes: number,
  ) {
    this.path = path;
    this.tempPath = tempPath;
    this.#handle = handle;
    this.#overwrite = overwrite;
    this.#writeBehindBytes = writeBehindBytes;
  }

  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  async write(chunks: readonly Uint8Array[]): Promise<void> {
    const handle = this.#requireOpen();
    try {
      for (const piece of writePieces(chunks)) {
        let pending = piece;
        while (pending.length > 0) {
          const { bytesWritten } = await handle.writev(pending);
          this.#bytesWritten += bytesWritten;
          pending = dropWritten(pending, bytesWritten);
        }
      }
    } catch (error) {
      throw fileError(error, this.path);
    }
    this.#flushBehind(handle);
  }

  writeSync(chunks: readonly Uint8Array[]): void {
    const handle = this.#requireOpen();
    try {
      for (const piece of writePieces(chunks)) {
        let pending = piece;
        while (pending.length > 0) {
          const bytesWritten = writevSync(handle.fd, pending);
          this.#bytesWritten += bytesWritten;
          pending = dropWritten(pending, bytesWritten);
        }
      }
    } catch (error) {
      throw fileError(error, this.path);
    }
    this.#flushBehind(handle);
  }

  /** Starts a background `fdatasync` once {@link WRITE_BEHIND_BYTES} more were written, one at a time. */
  #flushBehind(handle: FileHandle): void {
    if (this.#bytesWritten - this.#flushStartedAt < this.#writeBehindBytes || this.#flushing !== undefined)
      return;
    this.#flushStartedAt = this.#bytesWritten;
    this.#flushing = handle.datasync().then(
      () => {
        this.#flushing = undefined;
      },
      (error: unknown) => {
        this.#flushing = undefined;
        this.#flushError ??= error;
      },
    );
  }

  async writeFrom(source: AsyncIterable<Uint8Array>, batchBytes = WRITE_BATCH_BYTES): Promise<void> {
    let batch: Uint8Array[] = [];
    let batched = 0;
    for await (const chunk of source) {
      if (chunk.byteLength === 0) continue;
      batch.push(chunk);
      batched += chunk.byteLength;
      if (batched >= batchBytes) {
        await this.write(batch);
        batch = [];
        batched = 0;
      }
    }
    await this.write(batch);
  }

  async commit(): Promise<void> {
    const handle = this.#requireOpen();
    this.#handle = undefined;
    try {
      await this.#flushing;
      if (this.#flushError !== undefined) throw this.#flushError;
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw fileError(error, this.path);
    }
    try {
      await handle.close();
      if (this.#overwrite) await rename(this.tempPath, this.path);
      else await this.#publishWithoutClobbering();
      this.#settled = true;
    } catch (error) {
      throw fileError(error, this.path);
    }
    await syncFolder(dirname(this.path));
  }

  async abort(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    const handle = this.#handle;
    this.#handle = undefined;
    await this.#flushing;
    await handle?.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }

  async #publishWithoutClobbering(): Promise<void> {
    try {
      await link(this.tempPath, this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!NO_HARD_LINKS.has(code)) throw error;
      const taken = await lstat(this.path).then(
        () => true,
        () => false,
      );
      if (taken) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
      await rename(this.tempPath, this.path);
      return;
    }
    await unlink(this.tempPath);
  }

  #requireOpen(): FileHandle {
    if (this.#handle === undefined) {
      throw new KwqmError('INVALID_STATE', `The output ${this.path} is already committed or aborted`, {
        details: { path: this.path },
      });
    }
    return this.#handle;
  }
}

/**
 * The non-empty chunks regrouped into pieces of at most {@link WRITE_PIECE_BYTES} (a large chunk
 * is cut, small ones share a piece), each written with one `writev`.
 */
function writePieces(chunks: readonly Uint8Array[]): Uint8Array[][] {
  const pieces: Uint8Array[][] = [];
  let piece: Uint8Array[] = [];
  let room = WRITE_PIECE_BYTES;
  for (const chunk of chunks) {
    for (let offset = 0; offset < chunk.byteLength; ) {
      const take = Math.min(room, chunk.byteLength - offset);
      piece.push(take === chunk.byteLength ? chunk : chunk.subarray(offset, offset + take));
      offset += take;
      room -= take;
      if (room === 0) {
        pieces.push(piece);
        piece = [];
        room = WRITE_PIECE_BYTES;
      }
    }
  }
  if (piece.length > 0) pieces.push(piece);
  return pieces;
}

/** What is left of `chunks` after the first `written` bytes (a short write). */
function dropWritten(chunks: readonly Uint8Array[], written: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  let skip = written;
  for (const chunk of chunks) {
    if (skip >= chunk.byteLength) {
      skip -= chunk.byteLength;
      continue;
    }
    rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
    skip = 0;
  }
  return rest;
}

/** Makes the rename durable too; best effort (some file systems refuse to fsync a folder). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
