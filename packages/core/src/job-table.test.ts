import { describe, expect, it } from 'vitest';
import { JobIdGenerator } from './job-id-generator.js';
import { JobTable } from './job-table.js';

interface Item {
  readonly id: string;
  readonly counter: number;
}

function ownItems(generator: JobIdGenerator, table: JobTable<Item>, count: number): Item[] {
  const items: Item[] = [];
  for (let index = 0; index < count; index++) {
    const counter = generator.nextCounter();
    const item = { id: generator.idOf(counter), counter };
    table.addOwn(counter, item);
    items.push(item);
  }
  return items;
}

describe('JobTable', () => {
  it('finds its own ids and ids from elsewhere, and nothing else', () => {
    const generator = new JobIdGenerator('abc');
    const table = new JobTable<Item>('abc');
    const items = ownItems(generator, table, 50);
    const restored = { id: 'xyz-9', counter: -1 };
    table.addOther(restored);
    for (const item of items) expect(table.get(item.id)).toBe(item);
    expect(table.get('xyz-9')).toBe(restored);
    expect(table.get('abc-zz')).toBeUndefined();
    expect(table.get('abc-')).toBeUndefined();
    expect(table.get('abc-1!')).toBeUndefined();
    expect(table.get('ab-1')).toBeUndefined();
  });

  it('forgets deleted items and keeps finding the rest across compactions', () => {
    const generator = new JobIdGenerator('q');
    const table = new JobTable<Item>('q');
    const items = ownItems(generator, table, 5000);
    // Forget the oldest 4500 (as the history does), which drops the first chunk.
    for (const item of items.slice(0, 4500)) table.delete(item);
    for (const item of items.slice(0, 4500)) expect(table.get(item.id)).toBeUndefined();
    for (const item of items.slice(4500)) expect(table.get(item.id)).toBe(item);
    const later = ownItems(generator, table, 10);
    for (const item of later) expect(table.get(item.id)).toBe(item);
  });

  it('keeps an old live item findable while later ones are forgotten around it', () => {
    const generator = new JobIdGenerator('q');
    const table = new JobTable<Item>('q');
    const items = ownItems(generator, table, 3000);
    const longRunning = items[0] as Item;
    for (const item of items.slice(1)) table.delete(item);
    expect(table.get(longRunning.id)).toBe(longRunning);
    table.delete(longRunning);
    expect(table.get(longRunning.id)).toBeUndefined();
  });

  it('drops whole forgotten chunks, also down to an empty table, and keeps numbering', () => {
    const generator = new JobIdGenerator('q');
    const table = new JobTable<Item>('q');
    // Exactly two chunks' worth, all forgotten: the table empties completely.
    const first = ownItems(generator, table, 8192);
    for (const item of first) table.delete(item);
    for (const item of [first[0], first[4095], first[4096], first[8191]] as Item[]) {
      expect(table.get(item.id)).toBeUndefined();
    }
    // Then forgotten out of order, across a chunk boundary, with one survivor in the middle.
    const second = ownItems(generator, table, 9000);
    const survivor = second[4500] as Item;
    for (const item of [...second].reverse()) if (item !== survivor) table.delete(item);
    expect(table.get(survivor.id)).toBe(survivor);
    for (const item of [second[0], second[4095], second[4096], second[8999]] as Item[]) {
      expect(table.get(item.id)).toBeUndefined();
    }
    const third = ownItems(generator, table, 3);
    for (const item of third) expect(table.get(item.id)).toBe(item);
    table.delete(survivor);
    expect(table.get(survivor.id)).toBeUndefined();
    for (const item of third) expect(table.get(item.id)).toBe(item);
  });

  it('puts an own counter that arrives out of order in the map', () => {
    const table = new JobTable<Item>('q');
    const item = { id: 'q-5', counter: 5 };
    table.addOwn(5, item);
    expect(table.get('q-5')).toBe(item);
    table.delete(item);
    expect(table.get('q-5')).toBeUndefined();
  });
});
