import { describe, expect, it } from 'vitest';
import { JobHistory } from './job-history.js';

describe('JobHistory', () => {
  it('keeps items newest first and forgets nothing until full', () => {
    const history = new JobHistory<number>(3);
    expect(history.add(1)).toBeUndefined();
    expect(history.add(2)).toBeUndefined();
    expect(history.newestFirst()).toEqual([2, 1]);
    expect(history.add(3)).toBeUndefined();
    expect(history.newestFirst()).toEqual([3, 2, 1]);
  });

  it('forgets the oldest when full, round and round the ring', () => {
    const history = new JobHistory<number>(3);
    const forgotten: Array<number | undefined> = [];
    for (let item = 1; item <= 10; item++) forgotten.push(history.add(item));
    expect(forgotten).toEqual([undefined, undefined, undefined, 1, 2, 3, 4, 5, 6, 7]);
    expect(history.newestFirst()).toEqual([10, 9, 8]);
  });

  it('with a limit of 0 keeps nothing and hands every item back', () => {
    const history = new JobHistory<string>(0);
    expect(history.add('a')).toBe('a');
    expect(history.newestFirst()).toEqual([]);
  });

  it('with a limit of 1 keeps only the newest', () => {
    const history = new JobHistory<string>(1);
    expect(history.add('a')).toBeUndefined();
    expect(history.add('b')).toBe('a');
    expect(history.add('c')).toBe('b');
    expect(history.newestFirst()).toEqual(['c']);
  });
});
