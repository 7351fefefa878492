import type { Priority } from './priority.js';

/**
 * The storage port of the scheduler: where queued items wait. The default is the in-memory
 * {@link PriorityQueue}; a distributed backend (BullMQ on Redis has numeric priorities, removal,
 * priority change and listing) can implement the same few calls later. Kept as small as
 * piscina's `TaskQueue`: no iteration protocol, no events.
 *
 * Every implementation keeps the original module's order: the highest non-empty level first,
 * first in first out inside a level; an item whose priority changes goes to the tail of its new
 * level.
 */
export interface PriorityQueuePort<Item extends { readonly id: string }> {
  /** How many items wait, over all levels. */
  readonly size: number;
  /** How many items wait at one level. */
  sizeOf(priority: Priority): number;
  /** Appends `item` to the tail of `priority`'s level. The id must not be queued already. */
  push(item: Item, priority: Priority): void;
  /** Takes the next item out: the head of the highest non-empty level. */
  shift(): Item | undefined;
  /** The item {@link PriorityQueuePort.shift} would return, left in place. */
  peek(): Item | undefined;
  /** The head of one level, left in place. */
  peekAt(priority: Priority): Item | undefined;
  /** The queued item with this id. */
  get(id: string): Item | undefined;
  /** The level a queued item waits at. */
  priorityOf(id: string): Priority | undefined;
  /** Takes one item out by id; `undefined` when it is not queued. */
  remove(id: string): Item | undefined;
  /** Moves a queued item to the tail of `priority`'s level (also when it is already there). */
  setPriority(id: string, priority: Priority): Item | undefined;
  /** All items in dispatch order. O(n). */
  list(): Item[];
}
