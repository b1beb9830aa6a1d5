// Pacing writes under Intune's limit (100 writes per 20 seconds per app per tenant) instead of
// hitting it and backing off: a token bucket that holds one write and refills at the allowed
// rate, so writes go out evenly spaced, with a sliding window as a guard so that no window of the
// limit's length ever holds more than the limit. A 429 halves the rate (another app in the tenant may be writing too); successes
// win it back a little at a time, never above the configured limit.

export class WriteLimiter {
  constructor({ writes = 100, perMs = 20_000 } = {}) {
    this.writes = writes;
    // 3% under the limit, and a window 5% longer than the server's: requests reach the server
    // with some jitter, and one early write too many costs a 429.
    this.maxRate = (writes / perMs) * 0.97;
    this.windowMs = perMs * 1.05;
    this.rate = this.maxRate;
    this.next = 0;
    this.sent = [];
  }

  /** Resolves when the next write may go: evenly paced, and never more than `writes` in a
   * window, even when timers fire late and bunch up. Waits end early when `signal` aborts. */
  async take(signal) {
    for (;;) {
      const now = Date.now();
      while (this.sent.length && this.sent[0] <= now - this.windowMs) this.sent.shift();
      const windowAt = this.sent.length >= this.writes ? this.sent[0] + this.windowMs : 0;
      const at = Math.max(this.next, windowAt);
      if (at <= now) {
        this.sent.push(now);
        this.next = now + 1 / this.rate;
        return;
      }
      await sleep(at - now, signal);
    }
  }

  throttled() {
    this.rate = Math.max(this.rate / 2, this.maxRate / 64);
  }

  succeeded() {
    this.rate = Math.min(this.rate * 1.05, this.maxRate);
  }
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", stop);
    };
    const stop = () => {
      done();
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    signal?.addEventListener("abort", stop, { once: true });
  });
}
