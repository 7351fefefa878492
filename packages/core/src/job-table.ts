/** What a {@link JobTable} holds: a job with its id and, for an id the queue made, its counter (else -1). */
export interface JobTableItem {
  readonly id: string;
  readonly counter: number;
}

/** Jobs per chunk of the table: 32 KiB of slots, small enough to be an ordinary young object. */
const CHUNK_SIZE = 4096;
const CHUNK_SHIFT = 12;

/**
 * Every job a queue still knows (queued, running, or in the history), found by id in O(1)
 * without hashing on the hot path.
 *
 * A queue's own ids are `<prefix>-<counter in base 36>` with a counter that only grows, so its
 * jobs sit in slots at `counter - base`: adding one fills the next slot, finding one is a parse
 * and an index. Jobs with other ids (restored from a journal) go to a `Map`. A `Map` of every id
 * would do the same job, but building or feeding one costs about a microsecond per id here —
 * more than the whole rest of a submit — and a lazily built one makes the first `remove` in a
 * 100 000-job queue wait for the build.
 *
 * The slots are fixed-size chunks rather than one growing array: an array grown to 100 000 jobs
 * is copied at every growth and ends up in the large-object space, where each young job stored in
 * it is one more old-to-young pointer for the scavenger; chunks made a 100 000-job burst 8–13 %
 * faster (docs/performance-core.md). Chunks are allocated once, never copied, and dropped whole
 * once forgotten.
 */
export class JobTable<Item extends JobTableItem> {
  readonly #idStart: string;
  /** Slot `i` (the job with counter `#base + i`) is `#chunks[i >> 12][i & 4095]`, `undefined` once forgotten. */
  #chunks: Array<Array<Item | undefined>> = [];
  /** How many slots are filled or forgotten (the next own job's slot). */
  #length = 0;
  #base = 1;
  /** How many leading slots are forgotten. */
  #forgottenPrefix = 0;
  readonly #others = new Map<string, Item>();

  constructor(prefix: string) {
    this.#idStart = `${prefix}-`;
  }

  /** Adds a job whose id this queue just made with `counter`. Counters must arrive in order. */
  addOwn(counter: number, item: Item): void {
    const position = this.#length;
    if (counter !== this.#base + position) {
      this.#others.set(item.id, item);
      return;
    }
    const chunkIndex = position >>> CHUNK_SHIFT;
    if (chunkIndex === this.#chunks.length) this.#chunks.push(new Array<Item | undefined>(CHUNK_SIZE));
    (this.#chunks[chunkIndex] as Array<Item | undefined>)[position & (CHUNK_SIZE - 1)] = item;
    this.#length = position + 1;
  }

  /** Adds a job with any id (a restored one). */
  addOther(item: Item): void {
    this.#others.set(item.id, item);
  }

  get(id: string): Item | undefined {
    const position = this.#positionOf(id);
    if (position !== undefined) {
      const item = this.#slot(position);
      if (item !== undefined && item.id === id) return item;
    }
    return this.#others.get(id);
  }

  /** Forgets a job (it left the history). */
  delete(item: Item): void {
    // By the counter the job was added with: no id to parse on the history's hot path.
    const position = item.counter - this.#base;
    if (position >= 0 && position < this.#length && this.#slot(position) === item) {
      (this.#chunks[position >>> CHUNK_SHIFT] as Array<Item | undefined>)[position & (CHUNK_SIZE - 1)] =
        undefined;
      this.#compact();
      return;
    }
    this.#others.delete(item.id);
  }

  #slot(position: number): Item | undefined {
    return this.#chunks[position >>> CHUNK_SHIFT]?.[position & (CHUNK_SIZE - 1)];
  }

  #positionOf(id: string): number | undefined {
    if (!id.startsWith(this.#idStart)) return undefined;
    const counter = Number.parseInt(id.slice(this.#idStart.length), 36);
    const position = counter - this.#base;
    return position >= 0 && position < this.#length ? position : undefined;
  }

  /** Moves past forgotten slots at the front, and drops each chunk that holds nothing any more. */
  #compact(): void {
    while (this.#forgottenPrefix < this.#length && this.#slot(this.#forgottenPrefix) === undefined) {
      this.#forgottenPrefix++;
    }
    while (this.#forgottenPrefix >= CHUNK_SIZE) {
      this.#chunks.shift();
      this.#base += CHUNK_SIZE;
      this.#length -= CHUNK_SIZE;
      this.#forgottenPrefix -= CHUNK_SIZE;
    }
  }
}
