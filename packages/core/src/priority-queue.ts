import { KwqmError } from './kwqm-error.js';
import type { Priority } from './priority.js';
import type { PriorityQueuePort } from './priority-queue-port.js';

const LEVEL_INDEX: Readonly<Record<Priority, number>> = { high: 0, medium: 1, low: 2 };
const LEVEL_PRIORITY: readonly Priority[] = ['high', 'medium', 'low'];

/** One link of a level's list. Internal; callers only see their items. */
class Node<Item> {
  previous: Node<Item> | undefined = undefined;
  next: Node<Item> | undefined = undefined;
  constructor(
    readonly item: Item,
    public level: number,
  ) {}
}

/**
 * The original KWQM queue: three FIFO lists (high, medium, low) plus an index by id, so push,
 * shift, remove, setPriority, peek and the sizes are O(1); only {@link PriorityQueue.list} walks.
 * Unlike a sorted array (p-queue), nothing ever shifts in memory when an item is inserted,
 * removed or moved.
 *
 * The id index is built on the first call that needs it (get, remove, setPriority, priorityOf,
 * or a push while it exists) and dropped whenever the queue empties: a queue only pushed and
 * shifted, the hot path, never pays for hashing, and the O(n) build is paid at most once per
 * burst, so every operation stays amortised O(1).
 */
export class PriorityQueue<Item extends { readonly id: string }> implements PriorityQueuePort<Item> {
  // Invariants: `#sizes[level]` counts the nodes linked into that level's list and `#size` all of
  // them; when `#index` exists it maps exactly the linked nodes' ids.
  readonly #heads: Array<Node<Item> | undefined> = [undefined, undefined, undefined];
  readonly #tails: Array<Node<Item> | undefined> = [undefined, undefined, undefined];
  readonly #sizes = [0, 0, 0];
  #size = 0;
  #index: Map<string, Node<Item>> | undefined = undefined;

  get size(): number {
    return this.#size;
  }

  sizeOf(priority: Priority): number {
    return this.#sizes[LEVEL_INDEX[priority]] as number;
  }

  /** Appends `item` at the tail of its level. Ids must be unique among queued items (not checked on the hot path). */
  push(item: Item, priority: Priority): void {
    const node = new Node(item, LEVEL_INDEX[priority]);
    if (this.#index !== undefined) {
      if (this.#index.has(item.id)) {
        throw new KwqmError('INVALID_STATE', `Item \`${item.id}\` is already queued`, {
          details: { id: item.id },
        });
      }
      this.#index.set(item.id, node);
    }
    this.#append(node);
  }

  shift(): Item | undefined {
    const node = this.#heads[0] ?? this.#heads[1] ?? this.#heads[2];
    if (node === undefined) return undefined;
    this.#unlink(node);
    this.#index?.delete(node.item.id);
    return node.item;
  }

  peek(): Item | undefined {
    return (this.#heads[0] ?? this.#heads[1] ?? this.#heads[2])?.item;
  }

  peekAt(priority: Priority): Item | undefined {
    return this.#heads[LEVEL_INDEX[priority]]?.item;
  }

  get(id: string): Item | undefined {
    return this.#lookup(id)?.item;
  }

  priorityOf(id: string): Priority | undefined {
    const node = this.#lookup(id);
    return node === undefined ? undefined : LEVEL_PRIORITY[node.level];
  }

  remove(id: string): Item | undefined {
    const node = this.#lookup(id);
    if (node === undefined) return undefined;
    this.#unlink(node);
    this.#index?.delete(id);
    return node.item;
  }

  setPriority(id: string, priority: Priority): Item | undefined {
    const node = this.#lookup(id);
    if (node === undefined) return undefined;
    // As in the original, a moved item queues behind everything already at its new level,
    // also when the level does not change.
    this.#unlink(node);
    node.level = LEVEL_INDEX[priority];
    this.#append(node);
    return node.item;
  }

  list(): Item[] {
    const items: Item[] = [];
    for (const head of this.#heads) {
      for (let node = head; node !== undefined; node = node.next) items.push(node.item);
    }
    return items;
  }

  #lookup(id: string): Node<Item> | undefined {
    if (this.#size === 0) return undefined;
    if (this.#index === undefined) {
      const index = new Map<string, Node<Item>>();
      for (const head of this.#heads) {
        for (let node = head; node !== undefined; node = node.next) index.set(node.item.id, node);
      }
      this.#index = index;
    }
    return this.#index.get(id);
  }

  #append(node: Node<Item>): void {
    const level = node.level;
    const tail = this.#tails[level];
    node.previous = tail;
    node.next = undefined;
    if (tail === undefined) this.#heads[level] = node;
    else tail.next = node;
    this.#tails[level] = node;
    this.#sizes[level] = (this.#sizes[level] as number) + 1;
    this.#size++;
  }

  #unlink(node: Node<Item>): void {
    const level = node.level;
    const { previous, next } = node;
    if (previous === undefined) this.#heads[level] = next;
    else previous.next = next;
    if (next === undefined) this.#tails[level] = previous;
    else next.previous = previous;
    node.previous = undefined;
    node.next = undefined;
    this.#sizes[level] = (this.#sizes[level] as number) - 1;
    if (--this.#size === 0) this.#index = undefined;
  }
}
