import { type JobSnapshot, KwqmError, type SerializedKwqmError } from '@kwqm/core';

/** How one file of a batch ended: its job's final snapshot, or why it could not be queued. */
export type BatchEntry =
  | { readonly kind: 'job'; readonly input: string; readonly job: JobSnapshot }
  | { readonly kind: 'not-queued'; readonly input: string; readonly error: SerializedKwqmError };

/**
 * The files one command queued together (a multi-selection): collects how each ended, in any
 * order, and hands back all of them, in selection order, once the last one has ended, so the
 * batch ends in one summary notification instead of one per file.
 */
export class JobBatch {
  readonly #entries: (BatchEntry | undefined)[];
  #left: number;

  /** `size`: how many files the command will submit, at least 1. */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new KwqmError(
        'INVALID_OPTION',
        `Expected \`size\` to be an integer >= 1, got \`${size}\` (${typeof size})`,
      );
    }
    this.#entries = new Array(size).fill(undefined);
    this.#left = size;
  }

  /** How many files the batch holds. */
  get size(): number {
    return this.#entries.length;
  }

  /**
   * Records how the file at `index` ended. Returns every entry, in selection order, when it was
   * the last to end; `undefined` before (and for a second report of the same file).
   */
  settle(index: number, entry: BatchEntry): readonly BatchEntry[] | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.#entries.length) {
      throw new KwqmError(
        'INVALID_OPTION',
        `Expected \`index\` to be an integer from 0 to ${this.#entries.length - 1}, got \`${index}\` (${typeof index})`,
      );
    }
    if (this.#entries[index] !== undefined) return undefined;
    this.#entries[index] = entry;
    this.#left -= 1;
    return this.#left === 0 ? (this.#entries as BatchEntry[]) : undefined;
  }
}
