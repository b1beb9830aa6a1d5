//! One logical call as several attempts: send, and while Graph throttles (429) or is briefly
//! unavailable (503, 504), wait as the core's retry policy says and send again, with the same
//! `client-request-id`. Waits use JavaScript timers and end at once on abort or deadline.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::cancel::{Cancel, Stop};
use super::http::{self, Answer};
use super::js::{self, set};
use crate::request::HttpRequest;
use crate::retry::{self, Attempt, Decision, GiveUp, RetryPolicy};

pub struct Exchange<'a> {
    pub request: &'a HttpRequest,
    pub client_request_id: &'a str,
    pub fetch: Option<&'a JsValue>,
    pub policy: RetryPolicy,
    pub on_retry: Option<&'a JsValue>,
    pub timeout_ms: Option<f64>,
    /// `Date.now()` when the call began: the deadline counts from there.
    pub started_ms: f64,
}

/// The last answer, and how many attempts it took.
pub struct Outcome {
    pub answer: Answer,
    pub attempts: u32,
}

pub enum Failure {
    Stopped(Stop),
    Network(JsValue, u32),
    /// Throttled, but the next wait would end past the deadline.
    Deadline(Outcome),
    /// `onRetry` threw: the caller's own error, passed on.
    OnRetry(JsValue),
}

pub async fn run(x: &Exchange<'_>, cancel: &Cancel) -> Result<Outcome, Failure> {
    let mut made = 0;
    loop {
        let answer = match http::send(x.request, made, x.fetch, cancel).await {
            Ok(a) => a,
            Err(http::Failure::Stopped(stop)) => return Err(Failure::Stopped(stop)),
            Err(http::Failure::Network(cause)) => return Err(Failure::Network(cause, made + 1)),
        };
        made += 1;
        let now = js::now();
        let decision = retry::decide(
            &x.policy,
            &Attempt {
                status: answer.status,
                retry_after: answer.headers.get("retry-after"),
                made,
                remaining_ms: x.timeout_ms.map(|t| t - (now - x.started_ms)),
                now_ms: now,
                random: js::random(),
            },
        );
        let delay_ms = match decision {
            Decision::Retry { delay_ms } => delay_ms,
            Decision::GiveUp(GiveUp::Deadline) => return Err(Failure::Deadline(Outcome { answer, attempts: made })),
            Decision::GiveUp(_) => return Ok(Outcome { answer, attempts: made }),
        };
        if let Some(f) = x.on_retry {
            let info = Object::new();
            set(&info, "attempt", &made.into());
            set(&info, "status", &answer.status.into());
            set(&info, "delayMs", &delay_ms.into());
            set(&info, "clientRequestId", &x.client_request_id.into());
            js::call(f, &JsValue::UNDEFINED, &[&info]).map_err(Failure::OnRetry)?;
        }
        cancel.sleep(delay_ms).await.map_err(Failure::Stopped)?;
    }
}
