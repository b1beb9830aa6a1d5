// assignMany: the same assignments to many pools. One result per pool, in the order given; a
// failing pool never loses the others' results; writes are paced under Intune's limit, and a
// 429 slows the pace while assign's own retries take care of the throttled call.
import { WriteLimiter } from "./limiter.js";

export function assignMany(assign, check) {
  return async (poolIds, assignments, token, options = {}) => {
    // Everything is checked before the first write, and before anything here reads the
    // arguments: the pool ids, the shared arguments, and the options (by the same rules, with
    // the same error; a proxy or a throwing getter is a ValidationError, not its own throw).
    await check(poolIds, assignments, token, options);
    const { concurrency = 4, onProgress, writeLimit, ...callOptions } = options ?? {};
    const limiter = new WriteLimiter(writeLimit);
    const signal = callOptions.signal;
    const results = new Array(poolIds.length);
    let nextIndex = 0;
    let done = 0;
    let progress = onProgress;
    const userOnRetry = callOptions.onRetry;
    const onRetry = (info) => {
      if (info.status === 429) limiter.throttled();
      userOnRetry?.(info);
    };

    async function worker() {
      while (nextIndex < poolIds.length) {
        const i = nextIndex++;
        const poolId = poolIds[i];
        try {
          await limiter.take(signal);
          const value = await assign(poolId, assignments, token, { ...callOptions, onRetry });
          limiter.succeeded();
          results[i] = { poolId, ok: true, value };
        } catch (error) {
          if (error?.status === 429) limiter.throttled();
          results[i] = { poolId, ok: false, error };
        }
        done += 1;
        try {
          progress?.({ done, total: poolIds.length, poolId, ok: results[i].ok });
        } catch {
          // A broken progress display must not cost the results: it is not called again.
          progress = undefined;
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, poolIds.length) }, worker));
    return results;
  };
}
