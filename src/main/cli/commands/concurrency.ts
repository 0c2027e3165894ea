// Runs a job per item, at most `limit` at a time, keeping the results in the items' order.
import pLimit from 'p-limit';

export function runWithConcurrency<T, R>(
  items: T[],
  limit: number,
  job: (item: T) => Promise<R>,
): Promise<R[]> {
  const gate = pLimit(limit);
  return Promise.all(items.map((item) => gate(() => job(item))));
}
