import { describe, expect, it } from 'vitest';
import { KwqmError } from './kwqm-error.js';
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

  it('is empty for no items; rejects with the first failure and starts nothing after it', async () => {
    expect(await mapFewAtATime([], async () => 1, 3)).toEqual([]);
    const started: number[] = [];
    await expect(
      mapFewAtATime(
        [1, 2, 3, 4, 5],
        async (item) => {
          started.push(item);
          if (item === 2) throw new Error('two');
          return item;
        },
        1,
      ),
    ).rejects.toThrow('two');
    expect(started).toEqual([1, 2]);
  });

  it.each([0, -1, 1.5, Number.NaN, '4'])('refuses a limit of %j with INVALID_OPTION', async (limit) => {
    const error = await mapFewAtATime([1], async (item) => item, limit as number).catch((thrown) => thrown);
    expect(KwqmError.is(error) && error.code).toBe('INVALID_OPTION');
    expect((error as KwqmError).details).toEqual({ option: 'limit' });
  });
});
