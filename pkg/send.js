// What every Graph call does around its one request: get the token, send it with fetch, retry
// when the core says so (with the same client-request-id), honour the deadline and the caller's
// signal, and turn every failure into the right error. The core made the request and reads every
// answer; this file is the I/O only.
import { run, ok } from "./core.js";
import { NetworkError, TimeoutError, fromWasm } from "./errors.js";

// The response headers the core reads.
const READ = ["content-type", "request-id", "client-request-id", "date", "retry-after"];

/** Sends the request of `plan` (and `body`), as `token` and `options` say. */
export async function send(plan, body, token, options) {
  const { signal, timeoutMs, onRetry, maxRetries, retryBaseDelayMs, retryMaxDelayMs } = options ?? {};
  const fetcher = options?.fetch ?? globalThis.fetch;
  const started = Date.now();
  const id = plan.clientRequestId;
  const stop = stopper(signal, timeoutMs, id);
  try {
    stop.check();
    const bearer = plan.token ?? (await provided(token, plan.scope, stop));
    const headers = { Authorization: `Bearer ${bearer}`, ...plan.headers };
    for (let made = 1; ; made++) {
      const init = { method: plan.method, headers, body: body || undefined, signal: stop.signal };
      // A retry says which it is, as Microsoft's clients do.
      if (made > 1) init.headers = { ...headers, "Retry-Attempt": String(made - 1) };
      let response;
      let text;
      try {
        response = await stop.race(fetcher(plan.url, init));
        text = await stop.race(response.text());
      } catch (e) {
        stop.check();
        throw networkError(plan.origin, e, id, made);
      }
      const now = Date.now();
      const answer = run(
        "answer",
        // Only numbers and strings, so plain JSON.stringify.
        JSON.stringify({
          read: plan.read,
          status: response.status,
          headers: pick(response.headers),
          made,
          remainingMs: timeoutMs == null ? null : timeoutMs - (now - started),
          nowMs: now,
          random: Math.random(),
          retry: { maxRetries, retryBaseDelayMs, retryMaxDelayMs },
          clientRequestId: id,
        }),
        text,
      );
      if (answer.retry !== undefined) {
        onRetry?.({ attempt: made, status: response.status, delayMs: answer.retry, clientRequestId: id });
        await stop.sleep(answer.retry);
        continue;
      }
      if (!answer.error) {
        if (answer.take === undefined) return answer.ok ?? undefined;
        // Graph's own JSON, every property kept: the core has checked its shape, and JSON.parse
        // makes the objects.
        const json = JSON.parse(text);
        if (answer.take === "body") return json;
        return "nextLink" in answer ? { value: json.value, nextLink: answer.nextLink } : json.value;
      }
      const error = fromWasm({ ...answer.error, status: response.status, attempts: made });
      if (!answer.deadline) throw error;
      // Still throttled, and waiting again would end past the deadline: stop now, with the last
      // answer as the cause.
      const message = `${timedOut(timeoutMs)}: Graph was still throttling, and the next retry would have ended past the deadline`;
      throw new TimeoutError(message, { clientRequestId: id, timeoutMs, attempts: made }, { cause: error });
    }
  } finally {
    stop.done();
  }
}

// A token function (MSAL's acquireTokenSilent in a closure) or a TokenCredential
// (@azure/identity). A provider's own error (InteractionRequiredAuthError) passes through.
async function provided(source, scope, stop) {
  const fn = typeof source === "function";
  const given = await stop.race(fn ? source() : source.getToken([scope]));
  // A string, an AccessToken { token } or an AuthenticationResult { accessToken }.
  const text =
    given !== null && typeof given === "object"
      ? typeof given.token === "string"
        ? given.token
        : typeof given.accessToken === "string"
          ? given.accessToken
          : given
      : given;
  return ok("token", { what: fn ? "the token function" : "getToken()", given: text }).ok;
}

function pick(headers) {
  const out = {};
  for (const name of READ) {
    const v = headers?.get?.(name);
    if (typeof v === "string") out[name] = v;
  }
  return out;
}

const timedOut = (ms) => `No answer within ${Math.ceil(ms)} ms (timeoutMs)`;

// Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, a bad port) is in its cause.
// The message names where the call went, never its headers.
function networkError(origin, cause, clientRequestId, attempts) {
  const reason = cause?.cause?.code ?? cause?.cause?.message;
  const detail = typeof cause?.message === "string" ? (reason ? `${cause.message}: ${reason}` : cause.message) : "";
  const message = `Could not reach ${origin}${detail ? ` (${detail})` : ""}: the server is down, the name does not resolve, or (in a browser) CORS blocked the answer`;
  return new NetworkError(message, { clientRequestId, attempts }, { cause });
}

// One call's cancellation: the caller's signal and the timeoutMs deadline both abort a private
// AbortController, whose signal goes to fetch and bounds every wait of the call. With neither
// there is nothing to set up (most calls, and the cheapest).
function stopper(signal, timeoutMs, clientRequestId) {
  if (!signal && timeoutMs == null) {
    return {
      check() {},
      race: (p) => p,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      done() {},
    };
  }
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal?.addEventListener("abort", abort);
  const timer = timeoutMs == null ? undefined : setTimeout(abort, timeoutMs);
  // The caller's abort wins over the deadline; it rejects with the signal's reason, as fetch does.
  const check = () => {
    if (signal?.aborted) throw signal.reason;
    if (controller.signal.aborted) throw new TimeoutError(timedOut(timeoutMs), { clientRequestId, timeoutMs });
  };
  // Awaits `p`, or stops as soon as the call is aborted or out of time: a promise that ignores
  // the signal (a custom fetch, a token provider) cannot hold the call up.
  const race = (p) =>
    new Promise((resolve, reject) => {
      const stopped = () => {
        try {
          check();
        } catch (e) {
          reject(e);
        }
      };
      stopped();
      controller.signal.addEventListener("abort", stopped);
      Promise.resolve(p)
        .then(resolve, reject)
        .finally(() => controller.signal.removeEventListener("abort", stopped));
    });
  return {
    signal: controller.signal,
    check,
    race,
    sleep(ms) {
      let t;
      return race(new Promise((resolve) => (t = setTimeout(resolve, ms)))).finally(() => clearTimeout(t));
    },
    // Unhooks from the caller's signal (which may live as long as the page) and clears the timer.
    done() {
      signal?.removeEventListener("abort", abort);
      clearTimeout(timer);
    },
  };
}
