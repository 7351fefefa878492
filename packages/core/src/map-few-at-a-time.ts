import { invalidOption } from './describe-value.js';

/**
 * `Promise.all(items.map(map))` with at most `limit` calls of `map` pending at any time; the
 * results keep the order of `items`, and the first rejection rejects the whole (calls already
 * started run on, none is started after it).
 *
 * For checks that open a file per item before jobs are queued (the CLI's and the editor's header
 * peeks): `Promise.all` over thousands of files opens them all at once and meets the process's
 * descriptor limit (`EMFILE`).
 *
 * @throws `INVALID_OPTION` when `limit` is not an integer >= 1.
 */
export async function mapFewAtATime<T, R>(
  items: readonly T[],
  map: (item: T, index: number) => Promise<R>,
  limit: number,
): Promise<R[]> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw invalidOption('limit', 'an integer >= 1', limit);
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await map(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
