/**
 * Runs one job per item with at most `limit` running at once; results keep the items' order. A job
 * that throws is the caller's to catch (fleet triage turns each failure into a failed line).
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await job(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
