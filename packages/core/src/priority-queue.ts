import { KwqmError } from './kwqm-error.js';
import type { Priority } from './priority.js';
import type { PriorityQueuePort } from './priority-queue-port.js';

/** 0 high, 1 medium, 2 low. Comparisons, not a keyed lookup: priorities are interned strings. */
function levelOf(priority: Priority): number {
  return priority === 'high' ? 0 : priority === 'medium' ? 1 : 2;
}
const LEVEL_PRIORITY: readonly Priority[] = ['high', 'medium', 'low'];

/**
 * The links a {@link PriorityQueue} keeps inside each item: the lists are intrusive, so queuing an
 * item allocates nothing. Declare them on your item type (initialised to `undefined`) to keep its
 * shape stable. An item can be in one queue at a time.
 */
export interface PriorityQueueLinks<Item> {
  queuePrevious?: Item | undefined;
  queueNext?: Item | undefined;
  /** The level index while queued (0 high, 1 medium, 2 low); `undefined` when not queued. */
  queueLevel?: number | undefined;
}

/** What a {@link PriorityQueue} holds: anything with a string id and room for the links. */
export type PriorityQueueItem<Item> = { readonly id: string } & PriorityQueueLinks<Item>;

/**
 * The original KWQM queue: three FIFO lists (high, medium, low) plus an index by id, so push,
 * shift, remove, setPriority, peek and the sizes are O(1); only {@link PriorityQueue.list} walks.
 * Unlike a sorted array (p-queue), nothing ever shifts in memory when an item is inserted,
 * removed or moved.
 *
 * The lists are intrusive: the links live in the items ({@link PriorityQueueLinks}). The id index
 * is built on the first call that needs it (get, remove, setPriority, priorityOf) and dropped
 * whenever the queue empties: a queue only pushed and shifted, the hot path, never hashes an id,
 * and the O(n) build is paid at most once per burst, so every operation stays amortised O(1).
 */
export class PriorityQueue<Item extends PriorityQueueItem<Item>> implements PriorityQueuePort<Item> {
  // Invariants: an item's `queueLevel` is set exactly while it is linked into that level's list;
  // `#sizes[level]` counts that list and `#size` all of them; when `#index` exists it maps
  // exactly the linked items' ids.
  readonly #heads: Array<Item | undefined> = [undefined, undefined, undefined];
  readonly #tails: Array<Item | undefined> = [undefined, undefined, undefined];
  readonly #sizes = [0, 0, 0];
  #size = 0;
  #index: Map<string, Item> | undefined = undefined;
  readonly #find: ((id: string) => Item | undefined) | undefined;

  /**
   * @param find - Where the owner already keeps its items by id (the work queue's job table).
   *   When given, lookups by id use it instead of building an index of their own.
   */
  constructor(find?: (id: string) => Item | undefined) {
    this.#find = find;
  }

  get size(): number {
    return this.#size;
  }

  sizeOf(priority: Priority): number {
    return this.#sizes[levelOf(priority)] as number;
  }

  /** Appends `item` at the tail of its level. Throws `INVALID_STATE` if it is queued already. */
  push(item: Item, priority: Priority): void {
    if (item.queueLevel !== undefined || this.#index?.has(item.id) === true) {
      throw new KwqmError('INVALID_STATE', `Item \`${item.id}\` is already queued`, {
        details: { id: item.id },
      });
    }
    this.#append(item, levelOf(priority));
    this.#index?.set(item.id, item);
  }

  shift(): Item | undefined {
    const item = this.#heads[0] ?? this.#heads[1] ?? this.#heads[2];
    if (item === undefined) return undefined;
    this.#unlink(item);
    this.#index?.delete(item.id);
    return item;
  }

  peek(): Item | undefined {
    return this.#heads[0] ?? this.#heads[1] ?? this.#heads[2];
  }

  peekAt(priority: Priority): Item | undefined {
    return this.#heads[levelOf(priority)];
  }

  get(id: string): Item | undefined {
    return this.#lookup(id);
  }

  priorityOf(id: string): Priority | undefined {
    const item = this.#lookup(id);
    return item === undefined ? undefined : LEVEL_PRIORITY[item.queueLevel as number];
  }

  remove(id: string): Item | undefined {
    const item = this.#lookup(id);
    if (item === undefined) return undefined;
    this.#unlink(item);
    this.#index?.delete(id);
    return item;
  }

  setPriority(id: string, priority: Priority): Item | undefined {
    const item = this.#lookup(id);
    if (item === undefined) return undefined;
    // As in the original, a moved item queues behind everything already at its new level,
    // also when the level does not change.
    this.#unlink(item);
    this.#append(item, levelOf(priority));
    // Unlinking the last item dropped the index; it only ever holds linked items.
    this.#index?.set(id, item);
    return item;
  }

  list(): Item[] {
    const items: Item[] = [];
    for (const head of this.#heads) {
      for (let item = head; item !== undefined; item = item.queueNext) items.push(item);
    }
    return items;
  }

  #lookup(id: string): Item | undefined {
    if (this.#size === 0) return undefined;
    if (this.#find !== undefined) {
      // Only items linked into a level are queued (`queueLevel` is set exactly then).
      const item = this.#find(id);
      return item?.queueLevel === undefined ? undefined : item;
    }
    if (this.#index === undefined) {
      const index = new Map<string, Item>();
      for (const head of this.#heads) {
        for (let item = head; item !== undefined; item = item.queueNext) index.set(item.id, item);
      }
      this.#index = index;
    }
    return this.#index.get(id);
  }

  #append(item: Item, level: number): void {
    const tail = this.#tails[level];
    item.queueLevel = level;
    item.queuePrevious = tail;
    item.queueNext = undefined;
    if (tail === undefined) this.#heads[level] = item;
    else tail.queueNext = item;
    this.#tails[level] = item;
    this.#sizes[level] = (this.#sizes[level] as number) + 1;
    this.#size++;
  }

  #unlink(item: Item): void {
    const level = item.queueLevel as number;
    const { queuePrevious, queueNext } = item;
    if (queuePrevious === undefined) this.#heads[level] = queueNext;
    else queuePrevious.queueNext = queueNext;
    if (queueNext === undefined) this.#tails[level] = queuePrevious;
    else queueNext.queuePrevious = queuePrevious;
    item.queuePrevious = undefined;
    item.queueNext = undefined;
    item.queueLevel = undefined;
    this.#sizes[level] = (this.#sizes[level] as number) - 1;
    if (--this.#size === 0) this.#index = undefined;
  }
}
