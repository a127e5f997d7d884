/**
 * Bounded parallelism for network calls (the sync, the archive coverage). The client's limiter
 * already caps what reaches WeCom; these keep a caller from queueing thousands of promises in it,
 * and keep results in order where a checkpoint depends on order.
 */

/**
 * `fn` over every item, at most `limit` at a time; results in input order. After a failure nothing
 * new starts, and the calls already running finish before the first failure is thrown: a caller that
 * then releases a lease or closes a store never does so under a write still in flight.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (err) {
        failed = true; // the other workers start nothing new
        throw err;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}

/**
 * Yields `fn(item)` in input order while up to `limit` calls run ahead. A failure surfaces when its
 * turn comes; calls already started then finish unobserved.
 */
export async function* orderedMap<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const running: Promise<R>[] = [];
  let next = 0;
  const refill = () => {
    while (next < items.length && running.length < limit) {
      const call = fn(items[next++]!);
      call.catch(() => {}); // observed when yielded
      running.push(call);
    }
  };
  refill();
  while (running.length > 0) {
    const result = await running.shift()!;
    refill();
    yield result;
  }
}
