//! The TypeScript of what the exports take and give besides Graph's own types (which tsify
//! writes from `model.rs`): the token, the options and the shape of a change. It is a custom
//! section of the wasm, so wasm-bindgen writes it into the `.d.ts` beside the exports that name
//! these types; a test checks that `CallOptions` names exactly the options `validate` reads.

pub const DECLARATIONS: &str = r#"
/** An `@azure/identity` TokenCredential (only `getToken` is used). */
export interface TokenCredential {
  getToken(scopes: string | string[], options?: unknown): Promise<{ token: string } | null>;
}

/**
 * The access token: a string (a leading `Bearer ` is dropped), a function returning one (or a
 * promise of one, or of MSAL's `{ accessToken }`), or a TokenCredential, asked for
 * `<origin of baseUrl>/.default`.
 */
export type TokenSource =
  | string
  | (() => string | { accessToken: string } | { token: string } | Promise<string | { accessToken: string } | { token: string }>)
  | TokenCredential;

export interface CallOptions {
  /** Graph's root; default `https://graph.microsoft.com/beta`. `http:` only for loopback. */
  baseUrl?: string;
  /** Cancels the call; the promise rejects with the signal's `reason`. */
  signal?: AbortSignal;
  /** A deadline for the whole call, in milliseconds; past it the call rejects with `TimeoutError`. */
  timeoutMs?: number;
  /** A fetch to use instead of the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** The `client-request-id` header (a GUID); default: a fresh one per call. */
  clientRequestId?: string;
  /** Retries after a 429, 503 or 504; default 3, at most 10, 0 disables. */
  maxRetries?: number;
  /** The first backoff waits between this and twice this; default 3000. */
  retryBaseDelayMs?: number;
  /** No single wait is longer; default 180000. */
  retryMaxDelayMs?: number;
  /** Called before each wait between retries. Throwing stops the call with that error. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The retry about to be made: 1 for the first (also sent as the `Retry-Attempt` header). */
  attempt: number;
  /** The status that caused it: 429, 503 or 504. */
  status: number;
  delayMs: number;
  clientRequestId: string;
}

/** A list's options: the common ones, and Graph's query options passed through. */
export interface ListOptions extends CallOptions {
  /** `$top`: items per page (1 to 999); the list still follows every page. */
  top?: number;
  /** `$select`: the properties to return (`id` always comes). */
  select?: string[] | string;
  /** `$filter`: an OData filter, like `displayName eq 'Contoso'`. */
  filter?: string;
}

/** What `addAssignments` and `removeAssignments` did. */
export interface AssignmentChange {
  before: EmbeddedSimActivationCodePoolAssignment[];
  after: EmbeddedSimActivationCodePoolAssignment[];
  added: DeviceAndAppManagementAssignmentTarget[];
  removed: EmbeddedSimActivationCodePoolAssignment[];
}
"#;

#[cfg(test)]
mod tests {
    use super::DECLARATIONS;
    use crate::validate::{LIST_OPTION_NAMES, OPTION_NAMES};

    /// The property names of `interface <name> ... { ... }`.
    fn properties(name: &str) -> Vec<String> {
        let start = DECLARATIONS.find(&["interface ", name, " "].concat()).unwrap();
        let body = &DECLARATIONS[start..];
        let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
        body.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("/**") && !l.is_empty())
            .filter_map(|l| l.split_once("?:").map(|(n, _)| n.to_owned()))
            .collect()
    }

    #[test]
    fn call_options_are_the_options_validation_reads() {
        let mut declared = properties("CallOptions");
        let mut read: Vec<String> = OPTION_NAMES.iter().map(|s| s.to_string()).collect();
        declared.sort();
        read.sort();
        assert_eq!(declared, read);
        assert_eq!(properties("ListOptions"), LIST_OPTION_NAMES);
    }
}
