import { describe, expect, it } from 'vitest';
import { PriorityQueue } from './priority-queue.js';

type Item = { id: string; queuePrevious?: Item; queueNext?: Item; queueLevel?: number };
const item = (id: string): Item => ({ id });
const ids = (items: ReadonlyArray<{ id: string } | undefined>) => items.map((entry) => entry?.id);

describe('PriorityQueue', () => {
  it('takes the highest non-empty level first, FIFO inside a level', () => {
    const queue = new PriorityQueue<Item>();
    queue.push(item('l1'), 'low');
    queue.push(item('m1'), 'medium');
    queue.push(item('h1'), 'high');
    queue.push(item('m2'), 'medium');
    queue.push(item('h2'), 'high');
    expect(ids(queue.list())).toEqual(['h1', 'h2', 'm1', 'm2', 'l1']);
    expect(queue.peek()?.id).toBe('h1');
    expect(ids([queue.shift(), queue.shift(), queue.shift(), queue.shift(), queue.shift()])).toEqual([
      'h1',
      'h2',
      'm1',
      'm2',
      'l1',
    ]);
    expect(queue.shift()).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it('counts sizes per level', () => {
    const queue = new PriorityQueue<Item>();
    queue.push(item('a'), 'low');
    queue.push(item('b'), 'low');
    queue.push(item('c'), 'high');
    expect(queue.size).toBe(3);
    expect([queue.sizeOf('high'), queue.sizeOf('medium'), queue.sizeOf('low')]).toEqual([1, 0, 2]);
    queue.remove('a');
    expect(queue.sizeOf('low')).toBe(1);
    queue.setPriority('b', 'medium');
    expect([queue.sizeOf('high'), queue.sizeOf('medium'), queue.sizeOf('low')]).toEqual([1, 1, 0]);
  });

  it('removes by id from the head, middle and tail of a level', () => {
    const queue = new PriorityQueue<Item>();
    for (const id of ['a', 'b', 'c', 'd']) queue.push(item(id), 'medium');
    expect(queue.remove('b')?.id).toBe('b');
    expect(queue.remove('a')?.id).toBe('a');
    expect(queue.remove('d')?.id).toBe('d');
    expect(queue.remove('missing')).toBeUndefined();
    expect(ids(queue.list())).toEqual(['c']);
    queue.push(item('e'), 'medium');
    expect(ids(queue.list())).toEqual(['c', 'e']);
  });

  it('moves an item to the tail of its new level, also when the level is unchanged', () => {
    const queue = new PriorityQueue<Item>();
    queue.push(item('h1'), 'high');
    queue.push(item('m1'), 'medium');
    queue.push(item('m2'), 'medium');
    queue.push(item('l1'), 'low');
    queue.setPriority('l1', 'high');
    expect(ids(queue.list())).toEqual(['h1', 'l1', 'm1', 'm2']);
    queue.setPriority('m1', 'medium');
    expect(ids(queue.list())).toEqual(['h1', 'l1', 'm2', 'm1']);
    expect(queue.priorityOf('l1')).toBe('high');
    expect(queue.setPriority('missing', 'low')).toBeUndefined();
  });

  it('finds items by id and forgets them once they leave', () => {
    const queue = new PriorityQueue<Item>();
    queue.push(item('a'), 'low');
    queue.push(item('b'), 'high');
    expect(queue.get('a')?.id).toBe('a');
    expect(queue.peekAt('low')?.id).toBe('a');
    expect(queue.shift()?.id).toBe('b');
    expect(queue.get('b')).toBeUndefined();
    queue.push(item('c'), 'low');
    expect(queue.get('c')?.id).toBe('c');
    expect(queue.shift()?.id).toBe('a');
    expect(queue.shift()?.id).toBe('c');
    expect(queue.get('a')).toBeUndefined();
    // The index was dropped when the queue emptied; it is rebuilt on the next lookup.
    queue.push(item('a'), 'medium');
    expect(queue.priorityOf('a')).toBe('medium');
  });

  it('rejects an item that is queued already', () => {
    const queue = new PriorityQueue<Item>();
    const a = item('a');
    queue.push(a, 'low');
    expect(() => queue.push(a, 'high')).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(queue.shift()).toBe(a);
    queue.push(a, 'high');
    expect(queue.size).toBe(1);
  });

  it('rejects a duplicate id once it has an index', () => {
    const queue = new PriorityQueue<Item>();
    queue.push(item('a'), 'low');
    queue.get('a');
    expect(() => queue.push(item('a'), 'high')).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });
});
