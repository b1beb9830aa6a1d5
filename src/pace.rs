//! Keeping under Intune's request limit (1,000 requests per 20 seconds per app per tenant)
//! instead of hitting it and backing off: a token bucket that refills at the allowed rate, so
//! requests go out evenly spaced, with a sliding window as a guard, so that no window of the
//! limit's length ever holds more than the limit. A 429 halves the rate (another app in the
//! tenant may be reading too); successes win it back a little at a time, never above the limit.
//!
//! The shell asks before each batch how long to wait; the clock is the caller's, so this is
//! plain arithmetic, tested on the host.

use crate::prelude::*;

/// Intune's limit on requests of any method to these endpoints, per app per tenant, in any
/// [`INTUNE_WINDOW_MS`]: the batched reads keep under it unless told another pace.
pub const INTUNE_REQUESTS: u32 = 1000;
/// Intune's limit on writes (which count against [`INTUNE_REQUESTS`] too), per app per tenant, in
/// any [`INTUNE_WINDOW_MS`]: `assignMany` keeps under it unless told another pace.
pub const INTUNE_WRITES: u32 = 100;
/// The window of both limits.
pub const INTUNE_WINDOW_MS: f64 = 20_000.0;

#[derive(Debug, Clone)]
pub struct Pace {
    limit: u32,
    window_ms: f64,
    max_rate: f64,
    rate: f64,
    /// When the next request may go, at the current rate.
    next_ms: f64,
    /// `(when, how many)` of the requests sent within the last window.
    sent: Vec<(f64, u32)>,
}

impl Pace {
    /// A pace under `limit` requests per `per_ms`: 3% under the limit, over a window 5% longer
    /// than the server's, because requests reach the server with some jitter, and one early
    /// request too many costs a 429.
    pub fn new(limit: u32, per_ms: f64) -> Pace {
        let max_rate = f64::from(limit) / per_ms * 0.97;
        Pace { limit, window_ms: per_ms * 1.05, max_rate, rate: max_rate, next_ms: 0.0, sent: Vec::new() }
    }

    /// How long to wait before `n` requests may go at `now_ms`: 0 means they go now, and are
    /// counted. A batch larger than the limit is counted as the limit (it could never go).
    pub fn take(&mut self, n: u32, now_ms: f64) -> f64 {
        // Not `clamp`, which panics should the limit be 0.
        let n = n.max(1).min(self.limit);
        self.sent.retain(|(at, _)| *at > now_ms - self.window_ms);
        // A plain loop, where a map's sum was compiled of its own.
        let mut in_window: u32 = 0;
        for (_, k) in &self.sent {
            in_window += k;
        }
        let mut window_at = 0.0;
        // The window frees enough room when its oldest requests leave it.
        for (at, k) in &self.sent {
            if in_window + n <= self.limit {
                break;
            }
            in_window -= k;
            window_at = at + self.window_ms;
        }
        let at = self.next_ms.max(window_at);
        if at > now_ms {
            return at - now_ms;
        }
        self.sent.push((now_ms, n));
        // The batch's share of time is spent after it: the first batch goes at once. A timer that
        // fired late is made up for, up to one batch's share, so lateness does not add up over a
        // long run; the window above still caps what any stretch of time holds.
        let share = f64::from(n) / self.rate;
        self.next_ms = self.next_ms.max(now_ms - share) + share;
        0.0
    }

    pub fn throttled(&mut self) {
        self.rate = (self.rate / 2.0).max(self.max_rate / 64.0);
    }

    pub fn succeeded(&mut self) {
        self.rate = (self.rate * 1.05).min(self.max_rate);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `batches` batches of `n` as soon as the pace allows, and gives their times.
    fn run(pace: &mut Pace, batches: usize, n: u32) -> Vec<f64> {
        let mut now = 0.0;
        let mut times = Vec::new();
        while times.len() < batches {
            let wait = pace.take(n, now);
            if wait == 0.0 {
                times.push(now);
            } else {
                now += wait;
            }
        }
        times
    }

    #[test]
    fn requests_are_spread_at_the_allowed_rate() {
        let mut pace = Pace::new(1000, 20_000.0);
        let times = run(&mut pace, 31, 20);
        // 600 requests after the first batch at 48.5 a second: about 12.4 seconds.
        let last = *times.last().unwrap();
        assert!((12_300.0..12_500.0).contains(&last), "{last}");
        assert_eq!(times[0], 0.0);
    }

    #[test]
    fn no_window_ever_holds_more_than_the_limit() {
        for (limit, n) in [(10, 3), (100, 20), (7, 7), (5, 20)] {
            let mut pace = Pace::new(limit, 1_000.0);
            let times = run(&mut pace, 200, n);
            let n = n.min(limit);
            for (i, t) in times.iter().enumerate() {
                let in_window = times[i..].iter().take_while(|u| **u < t + 1_000.0).count() as u32 * n;
                assert!(in_window <= limit, "{limit}/{n}: {in_window} at {t}");
            }
        }
    }

    #[test]
    fn late_timers_are_made_up_for_without_a_burst() {
        let mut pace = Pace::new(1000, 20_000.0);
        assert_eq!(pace.take(20, 0.0), 0.0);
        // The next batch was due at 412 ms; its timer fired at 430.
        assert_eq!(pace.take(20, 430.0), 0.0);
        let wait = pace.take(20, 431.0);
        assert!((390.0..396.0).contains(&wait), "the one after is due 18 ms early: {wait}");
        // Idle for a minute: no more than one batch's credit is saved up.
        assert_eq!(pace.take(20, 60_000.0), 0.0);
        assert_eq!(pace.take(20, 60_001.0), 0.0);
        assert!(pace.take(20, 60_002.0) > 400.0);
    }

    #[test]
    fn a_429_slows_the_pace_and_successes_win_it_back() {
        let mut pace = Pace::new(1000, 20_000.0);
        pace.throttled();
        let slow = run(&mut pace.clone(), 3, 20);
        assert!(slow[2] > 1_500.0, "{slow:?}");
        for _ in 0..100 {
            pace.succeeded();
        }
        let fast = run(&mut pace, 3, 20);
        assert!(fast[2] < 900.0, "{fast:?}");
    }
}
