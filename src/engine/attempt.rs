//! One request until Graph gives a final answer: sent, and sent again after the wait the retry
//! policy decides for a 429, 503 or 504, within `maxRetries` and the call's deadline.

use super::{Answer, Env, Failure, Got, Host, Id, Io, Notice};
use crate::error::Error;
use crate::request::HttpRequest;
use crate::response::HttpResponse;
use crate::retry::{self, Decision, GiveUp};

pub struct Attempt {
    request: HttpRequest,
    /// Attempts made so far.
    made: u32,
    state: State,
}

enum State {
    /// To send at this time.
    Due(f64),
    Sent(Id),
    Over,
}

/// Graph's final answer to a request, with the attempts it took, and whether the deadline
/// ended the retries of a throttled answer.
pub struct Answered<J> {
    pub answer: Answer<J>,
    pub attempts: u32,
    pub deadline: bool,
}

impl Attempt {
    pub fn new(request: HttpRequest) -> Self {
        Attempt { request, made: 0, state: State::Due(0.0) }
    }

    /// Sends the request if it is due: `Some(time)` when it waits until then, `None` when it is
    /// in flight (or over).
    pub fn poll(&mut self, now_ms: f64, io: &mut Io) -> Option<f64> {
        match self.state {
            State::Due(at) if at > now_ms => Some(at),
            State::Due(_) => {
                self.state = State::Sent(io.send(self.request.clone(), self.made));
                None
            }
            State::Sent(_) | State::Over => None,
        }
    }

    pub fn due(&self, now_ms: f64) -> bool {
        matches!(self.state, State::Due(at) if at <= now_ms)
    }

    pub fn owns(&self, id: Id) -> bool {
        matches!(self.state, State::Sent(mine) if mine == id)
    }

    /// What came back: the final answer, the network's failure, or `None` when it is to be
    /// sent again (and `onRetry` told).
    pub fn handle<H: Host>(
        &mut self,
        got: Got<H>,
        env: &Env<'_>,
        io: &mut Io,
    ) -> Option<Result<Answered<H::Json>, Failure<H>>> {
        self.made += 1;
        let answer = match got {
            Got::Answer(a) => a,
            Got::Network(cause) | Got::Token(cause) => {
                self.state = State::Over;
                return Some(Err(Failure::Network { cause, attempts: self.made }));
            }
        };
        match retry_or_final(answer, self.made, env, io) {
            Err(at) => {
                self.state = State::Due(at);
                None
            }
            Ok(answered) => {
                self.state = State::Over;
                Some(Ok(answered))
            }
        }
    }
}

/// Graph's answer after `made` attempts: the final answer, or the time to send the request
/// again (and `onRetry` told).
pub fn retry_or_final<J>(answer: Answer<J>, made: u32, env: &Env<'_>, io: &mut Io) -> Result<Answered<J>, f64> {
    match decide(env, answer.status, answer.headers.get("retry-after"), made) {
        Decision::Retry { delay_ms } => {
            io.notices.push(Notice::Retrying { attempt: made, status: answer.status, delay_ms });
            Err(env.now_ms + delay_ms)
        }
        Decision::GiveUp(why) => Ok(Answered { answer, attempts: made, deadline: why == GiveUp::Deadline }),
    }
}

/// The retry policy's decision for an answer with `status` after `made` attempts.
pub fn decide(env: &Env<'_>, status: u16, retry_after: Option<&str>, made: u32) -> Decision {
    retry::decide(
        &env.call.retry,
        &retry::Attempt {
            status,
            retry_after,
            made,
            remaining_ms: env.call.deadline.map(|(_, end)| end - env.now_ms),
            now_ms: env.now_ms,
            random: env.random,
        },
    )
}

/// Reads a final answer with the core's `check`: its error is the call's, with the answer's
/// status, attempts and `Retry-After`. Only the call of `check` is compiled for each reader; the
/// rest is [`failure`]'s, once.
pub fn judge<H: Host, T>(
    answered: &Answered<H::Json>,
    now_ms: f64,
    check: impl FnOnce(HttpResponse<'_, H::Json>) -> Result<T, Error<H::Json>>,
) -> Result<T, Failure<H>> {
    let a = &answered.answer;
    let response = HttpResponse { status: a.status, headers: &a.headers, text: &a.text, json: a.json.clone() };
    check(response).map_err(|error| failure(answered, error, now_ms))
}

/// The core's `error` about a final answer as the call's failure.
fn failure<H: Host>(answered: &Answered<H::Json>, error: Error<H::Json>, now_ms: f64) -> Failure<H> {
    let a = &answered.answer;
    let error = match error {
        Error::Graph(mut g) => {
            g.retry_after_ms = a.headers.get("retry-after").and_then(|v| retry::retry_after_ms(v, now_ms));
            Error::Graph(g)
        }
        e => e,
    };
    Failure::Error { error, answered: Some((a.status, answered.attempts)), deadline: answered.deadline }
}
