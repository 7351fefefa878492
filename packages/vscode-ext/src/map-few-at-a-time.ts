/**
 * How many files a command's checks before its jobs (decrypt's header peeks) keep open at once.
 * `Promise.all` over the selection opened every selected file together: with a selection of
 * some thousand files that meets the process's descriptor limit (EMFILE), and files that could
 * not be opened were misjudged. The CLI's pre-prompt checks use the same bound.
 */
export const FILES_OPEN_AT_ONCE = 32;

/**
 * `Promise.all(items.map(map))` with at most `limit` calls of `map` pending at any time; the
 * results keep the order of `items`, and the first rejection rejects the whole.
 */
export async function mapFewAtATime<T, R>(
  items: readonly T[],
  map: (item: T, index: number) => Promise<R>,
  limit: number = FILES_OPEN_AT_ONCE,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
