/**
 * Makes job ids: `<prefix>-<counter in base 36>`. The prefix (random per queue unless given)
 * keeps ids of different queues apart, so an id is a usable key across processes; the counter
 * makes them unique for the queue's life, also past ids restored from a journal.
 */
export class JobIdGenerator {
  readonly prefix: string;
  /** `<prefix>-`, made once: an id is then one concatenation. */
  readonly #idStart: string;
  #next = 1;

  constructor(prefix: string = randomPrefix()) {
    this.prefix = prefix;
    this.#idStart = `${prefix}-`;
  }

  /** A fresh id. */
  next(): string {
    return this.idOf(this.nextCounter());
  }

  /** A fresh counter; {@link JobIdGenerator.idOf} turns it into the id. */
  nextCounter(): number {
    return this.#next++;
  }

  /** The id of a counter from {@link JobIdGenerator.nextCounter}. */
  idOf(counter: number): string {
    return this.#idStart + counter.toString(36);
  }

  /** Notes an id made elsewhere (a restored job) so {@link JobIdGenerator.next} never repeats it. */
  observe(id: string): void {
    if (!id.startsWith(`${this.prefix}-`)) return;
    const counter = id.slice(this.prefix.length + 1);
    if (!/^[0-9a-z]{1,10}$/.test(counter)) return;
    const value = Number.parseInt(counter, 36);
    if (value >= this.#next) this.#next = value + 1;
  }
}

/** Six base-36 characters; collisions between two queues' prefixes are unlikely, not impossible. */
function randomPrefix(): string {
  let prefix = '';
  for (let index = 0; index < 6; index++) prefix += Math.floor(Math.random() * 36).toString(36);
  return prefix;
}
