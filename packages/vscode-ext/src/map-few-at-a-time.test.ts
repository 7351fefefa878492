import { describe, expect, it } from 'vitest';
import { mapFewAtATime } from './map-few-at-a-time.js';

describe('mapFewAtATime', () => {
  it('keeps the order of the items and never has more than `limit` calls pending', async () => {
    let pending = 0;
    let most = 0;
    const results = await mapFewAtATime(
      Array.from({ length: 100 }, (_, index) => index),
      async (item) => {
        pending += 1;
        most = Math.max(most, pending);
        // Later items finish sooner, so a result written to the wrong slot would show.
        await new Promise((resolve) => setTimeout(resolve, (100 - item) % 7));
        pending -= 1;
        return item * 2;
      },
      5,
    );
    expect(results).toEqual(Array.from({ length: 100 }, (_, index) => index * 2));
    expect(most).toBe(5);
  });

  it('is empty for no items and rejects with the first failure', async () => {
    expect(await mapFewAtATime([], async () => 1)).toEqual([]);
    await expect(
      mapFewAtATime([1, 2, 3], async (item) => {
        if (item === 2) throw new Error('two');
        return item;
      }),
    ).rejects.toThrow('two');
  });
});
