/**
 * The last `limit` finished jobs, kept in a ring: once full, each new one takes the place of the
 * oldest, so the history allocates nothing and never copies itself, however many jobs pass
 * through it.
 */
export class JobHistory<Item> {
  readonly #limit: number;
  readonly #items: Item[] = [];
  /** Once full: where the oldest item sits, which is where the next one goes. */
  #oldest = 0;

  /** @param limit - How many items to keep; 0 keeps none. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * Keeps `item` as the newest. Returns the item this forgets: the oldest when the history was
   * full, `item` itself with a limit of 0, `undefined` otherwise.
   */
  add(item: Item): Item | undefined {
    const items = this.#items;
    if (items.length < this.#limit) {
      items.push(item);
      return undefined;
    }
    if (this.#limit === 0) return item;
    const oldest = items[this.#oldest] as Item;
    items[this.#oldest] = item;
    this.#oldest = this.#oldest + 1 === this.#limit ? 0 : this.#oldest + 1;
    return oldest;
  }

  /** The kept items, newest first. */
  newestFirst(): Item[] {
    const items = this.#items;
    const newest: Item[] = [];
    // Before the ring is full `#oldest` is 0 and this walks from the end of the array down.
    for (let step = 1; step <= items.length; step++) {
      newest.push(items[(this.#oldest - step + items.length) % items.length] as Item);
    }
    return newest;
  }
}
