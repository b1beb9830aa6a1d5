//! The retry policy: given an answer's status and `Retry-After`, how many attempts were made and
//! how much time is left, retry after D ms or give up. Pure: the shell brings the clock, the
//! randomness and the timers.
//!
//! Graph throttles Intune hard (100 writes per 20 s per app per tenant), so 429 is normal in bulk
//! work; 503 and 504 are the other answers Microsoft's own clients retry. Nothing else is retried:
//! a 4xx will not change by asking again, and a write must not be repeated on a 500.

use crate::text::parse_u32;

/// The largest delay a JavaScript timer can wait; longer ones fire at once in Node.
pub const MAX_TIMER_MS: f64 = 2_147_483_647.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// The first backoff waits between this and twice this (without `Retry-After`).
    pub base_delay_ms: f64,
    /// No single wait is longer than this.
    pub max_delay_ms: f64,
}

impl Default for RetryPolicy {
    /// As Microsoft's Graph clients: 3 retries, 3 s base delay, 180 s cap.
    fn default() -> Self {
        RetryPolicy { max_retries: 3, base_delay_ms: 3_000.0, max_delay_ms: 180_000.0 }
    }
}

/// The most retries a call may ask for (as Microsoft's clients allow).
pub const MAX_RETRIES: u32 = 10;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    Retry { delay_ms: f64 },
    GiveUp(GiveUp),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUp {
    /// Not 429, 503 or 504.
    NotRetryable,
    /// `max_retries` retries were made already.
    Exhausted,
    /// The server asks for a wait longer than `max_delay_ms`.
    RetryAfterTooLong,
    /// The wait would end past the call's deadline.
    Deadline,
}

/// What the shell knows after an attempt.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub status: u16,
    /// The `Retry-After` header, when the answer had one and it could be read (browsers hide it
    /// from cross-origin scripts unless the server exposes it).
    pub retry_after: Option<&'a str>,
    /// Attempts made so far, this one included (1 after the first request).
    pub made: u32,
    /// Milliseconds left before the call's deadline, if it has one.
    pub remaining_ms: Option<f64>,
    /// Now, in milliseconds since the Unix epoch, for `Retry-After` given as an HTTP date.
    pub now_ms: f64,
    /// A random number in [0, 1), for the jitter.
    pub random: f64,
}

pub fn is_retryable(status: u16) -> bool {
    matches!(status, 429 | 503 | 504)
}

pub fn decide(policy: &RetryPolicy, a: &Attempt<'_>) -> Decision {
    if !is_retryable(a.status) {
        return Decision::GiveUp(GiveUp::NotRetryable);
    }
    if a.made > policy.max_retries {
        return Decision::GiveUp(GiveUp::Exhausted);
    }
    let delay_ms = match a.retry_after.and_then(|v| retry_after_ms(v, a.now_ms)) {
        Some(ms) if ms > policy.max_delay_ms => return Decision::GiveUp(GiveUp::RetryAfterTooLong),
        Some(ms) => ms,
        None => backoff_ms(policy, a.made, a.random),
    };
    // Whole milliseconds, before the deadline is compared: what is waited (and reported to
    // onRetry) is what was checked to fit.
    let delay_ms = delay_ms.ceil();
    match a.remaining_ms {
        Some(left) if delay_ms >= left => Decision::GiveUp(GiveUp::Deadline),
        _ => Decision::Retry { delay_ms },
    }
}

/// Exponential backoff with full jitter above a floor: the n-th retry waits a uniformly random
/// time between `base` and `base * 2^n`, capped. The jitter keeps many throttled clients from
/// retrying in step; the floor means a retry never comes at once.
pub fn backoff_ms(policy: &RetryPolicy, retry: u32, random: f64) -> f64 {
    let floor = policy.base_delay_ms.min(policy.max_delay_ms);
    let ceiling = (policy.base_delay_ms * (1u32 << retry.min(30)) as f64).min(policy.max_delay_ms);
    let random = if (0.0..1.0).contains(&random) { random } else { 0.5 };
    floor + random * (ceiling - floor).max(0.0)
}

/// `Retry-After` in milliseconds: delay-seconds (`120`) or an HTTP date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`). `None` for anything else, including negative numbers,
/// so a garbage header falls back to backoff. A date in the past means "now": 0.
pub fn retry_after_ms(value: &str, now_ms: f64) -> Option<f64> {
    let v = crate::text::trim(value);
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // Long digit strings saturate rather than overflow: they are "too long" all the same.
        let seconds = v.bytes().fold(0f64, |n, b| n * 10.0 + f64::from(b - b'0'));
        return Some(seconds * 1000.0);
    }
    let at = http_date_ms(v)?;
    Some((at - now_ms).max(0.0))
}

/// Milliseconds since the Unix epoch of an IMF-fixdate (RFC 9110), the one form servers send.
pub fn http_date_ms(s: &str) -> Option<f64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let mut parts = crate::text::split(s, b' ').filter(|p| !p.is_empty());
    let weekday = parts.next()?;
    if !weekday.ends_with(',') {
        return None;
    }
    // `parse_u32` for every part: a year past u32::MAX or below 0 is out of range all the same.
    let day = parse_u32(parts.next()?)?;
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? as u32 + 1;
    let year = i64::from(parse_u32(parts.next()?)?);
    let mut hms = crate::text::split(parts.next()?, b':');
    let hour = parse_u32(hms.next()?)?;
    let minute = parse_u32(hms.next()?)?;
    let second = parse_u32(hms.next()?)?;
    if parts.next()? != "GMT"
        || parts.next().is_some()
        || hms.next().is_some()
        || !(1..=31).contains(&day)
        || !(1600..=9999).contains(&year)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Some(seconds as f64 * 1000.0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(status: u16, retry_after: Option<&str>, made: u32) -> Attempt<'_> {
        Attempt { status, retry_after, made, remaining_ms: None, now_ms: 0.0, random: 0.5 }
    }

    #[test]
    fn only_429_503_504_are_retried() {
        let p = RetryPolicy::default();
        for s in [200, 400, 401, 403, 404, 409, 500, 502] {
            assert_eq!(decide(&p, &attempt(s, Some("1"), 1)), Decision::GiveUp(GiveUp::NotRetryable), "{s}");
        }
        for s in [429, 503, 504] {
            assert!(matches!(decide(&p, &attempt(s, None, 1)), Decision::Retry { .. }), "{s}");
        }
    }

    #[test]
    fn retries_stop_after_max_retries() {
        let p = RetryPolicy { max_retries: 2, ..RetryPolicy::default() };
        assert!(matches!(decide(&p, &attempt(429, None, 1)), Decision::Retry { .. }));
        assert!(matches!(decide(&p, &attempt(429, None, 2)), Decision::Retry { .. }));
        assert_eq!(decide(&p, &attempt(429, None, 3)), Decision::GiveUp(GiveUp::Exhausted));
        let off = RetryPolicy { max_retries: 0, ..p };
        assert_eq!(decide(&off, &attempt(429, None, 1)), Decision::GiveUp(GiveUp::Exhausted));
    }

    #[test]
    fn retry_after_wins_in_seconds_or_as_a_date() {
        let p = RetryPolicy::default();
        assert_eq!(decide(&p, &attempt(429, Some("7"), 1)), Decision::Retry { delay_ms: 7000.0 });
        assert_eq!(decide(&p, &attempt(503, Some(" 0 "), 1)), Decision::Retry { delay_ms: 0.0 });
        let now = http_date_ms("Sun, 29 Nov 2026 10:00:00 GMT").unwrap();
        let a = Attempt { now_ms: now, ..attempt(429, Some("Sun, 29 Nov 2026 10:00:12 GMT"), 1) };
        assert_eq!(decide(&p, &a), Decision::Retry { delay_ms: 12_000.0 });
        // A date in the past: retry now.
        let a = Attempt { now_ms: now, ..attempt(429, Some("Sun, 29 Nov 2026 09:00:00 GMT"), 1) };
        assert_eq!(decide(&p, &a), Decision::Retry { delay_ms: 0.0 });
    }

    #[test]
    fn a_garbage_or_negative_retry_after_falls_back_to_backoff_and_a_huge_one_gives_up() {
        let p = RetryPolicy::default();
        for garbage in ["-5", "soon", "1.5", "", "Sun, 29 Nov 2026 25:00:00 GMT", "0x10", "5 s"] {
            match decide(&p, &attempt(429, Some(garbage), 1)) {
                Decision::Retry { delay_ms } => assert!((3000.0..=6000.0).contains(&delay_ms), "{garbage}: {delay_ms}"),
                other => panic!("{garbage}: {other:?}"),
            }
        }
        for huge in ["181", "99999999999999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"] {
            assert_eq!(decide(&p, &attempt(429, Some(huge), 1)), Decision::GiveUp(GiveUp::RetryAfterTooLong), "{huge}");
        }
    }

    #[test]
    fn backoff_grows_with_full_jitter_above_the_base_and_is_capped() {
        let p = RetryPolicy { max_retries: 10, base_delay_ms: 1000.0, max_delay_ms: 10_000.0 };
        assert_eq!(backoff_ms(&p, 1, 0.0), 1000.0);
        assert_eq!(backoff_ms(&p, 1, 0.999_999), 1000.0 + 0.999_999 * 1000.0);
        assert_eq!(backoff_ms(&p, 2, 0.5), 1000.0 + 0.5 * 3000.0);
        assert_eq!(backoff_ms(&p, 3, 1.0 - f64::EPSILON).round(), 8000.0);
        for retry in 4..=40 {
            assert!(backoff_ms(&p, retry, 0.999) <= 10_000.0);
        }
        // NaN or out-of-range randomness cannot break the bounds.
        assert!((1000.0..=2000.0).contains(&backoff_ms(&p, 1, f64::NAN)));
        assert!((1000.0..=2000.0).contains(&backoff_ms(&p, 1, 7.0)));
    }

    #[test]
    fn a_wait_that_would_end_past_the_deadline_is_not_made() {
        let p = RetryPolicy::default();
        let a = Attempt { remaining_ms: Some(6999.0), ..attempt(429, Some("7"), 1) };
        assert_eq!(decide(&p, &a), Decision::GiveUp(GiveUp::Deadline));
        let a = Attempt { remaining_ms: Some(7001.0), ..attempt(429, Some("7"), 1) };
        assert_eq!(decide(&p, &a), Decision::Retry { delay_ms: 7000.0 });
        let a = Attempt { remaining_ms: Some(2000.0), ..attempt(503, None, 1) };
        assert_eq!(decide(&p, &a), Decision::GiveUp(GiveUp::Deadline));
    }

    #[test]
    fn http_dates_are_read_exactly() {
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000.0));
        assert_eq!(http_date_ms("Tue, 29 Feb 2028 12:00:00 GMT"), Some(1_835_438_400_000.0));
        for bad in [
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "06 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(http_date_ms(bad), None, "{bad}");
        }
    }
}
