/** What a {@link JobTable} holds: a job with its id and, for an id the queue made, its counter (else -1). */
export interface JobTableItem {
  readonly id: string;
  readonly counter: number;
}

/**
 * Every job a queue still knows (queued, running, or in the history), found by id in O(1)
 * without hashing on the hot path.
 *
 * A queue's own ids are `<prefix>-<counter in base 36>` with a counter that only grows, so its
 * jobs sit in a plain array at `counter - base`: adding one is an array push, finding one is a
 * parse and an index. Jobs with other ids (restored from a journal) go to a `Map`. A `Map` of
 * every id would do the same job, but building or feeding one costs about a microsecond per id
 * here — more than the whole rest of a submit — and a lazily built one makes the first
 * `remove` in a 100 000-job queue wait for the build.
 */
export class JobTable<Item extends JobTableItem> {
  readonly #idStart: string;
  /** `#items[i]` holds the job with counter `#base + i`, or `undefined` once forgotten. */
  #items: Array<Item | undefined> = [];
  #base = 1;
  /** How many leading entries of `#items` are `undefined`. */
  #forgottenPrefix = 0;
  readonly #others = new Map<string, Item>();

  constructor(prefix: string) {
    this.#idStart = `${prefix}-`;
  }

  /** Adds a job whose id this queue just made with `counter`. Counters must arrive in order. */
  addOwn(counter: number, item: Item): void {
    if (counter === this.#base + this.#items.length) this.#items.push(item);
    else this.#others.set(item.id, item);
  }

  /** Adds a job with any id (a restored one). */
  addOther(item: Item): void {
    this.#others.set(item.id, item);
  }

  get(id: string): Item | undefined {
    const position = this.#positionOf(id);
    if (position !== undefined) {
      const item = this.#items[position];
      if (item !== undefined && item.id === id) return item;
    }
    return this.#others.get(id);
  }

  /** Forgets a job (it left the history). */
  delete(item: Item): void {
    // By the counter the job was added with: no id to parse on the history's hot path.
    const position = item.counter - this.#base;
    if (position >= 0 && this.#items[position] === item) {
      this.#items[position] = undefined;
      this.#compact();
      return;
    }
    this.#others.delete(item.id);
  }

  #positionOf(id: string): number | undefined {
    if (!id.startsWith(this.#idStart)) return undefined;
    const counter = Number.parseInt(id.slice(this.#idStart.length), 36);
    const position = counter - this.#base;
    return position >= 0 && position < this.#items.length ? position : undefined;
  }

  /** Drops forgotten entries at the front now and then, so the array follows the live jobs. */
  #compact(): void {
    while (this.#forgottenPrefix < this.#items.length && this.#items[this.#forgottenPrefix] === undefined) {
      this.#forgottenPrefix++;
    }
    if (this.#forgottenPrefix >= 1024 && this.#forgottenPrefix * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#forgottenPrefix);
      this.#base += this.#forgottenPrefix;
      this.#forgottenPrefix = 0;
    }
  }
}
