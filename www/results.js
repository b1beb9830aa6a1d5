// What came back, in plain words: the pool's assignments as a table, or the error with what
// Graph said and the ids support asks for. Built with textContent only: Graph's messages are data.
import { kindLabel, FILTER_ID, FILTER_TYPE } from "./assignments.js";
import { el } from "./dom.js";

const STATUS_TEXT = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
export const statusText = (status) => `${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ""}`;

const COLUMNS = ["#", "Target", "Group or collection", "Filter", "Assignment id"];

/** The `value` array `assign` resolved to, one row per assignment. */
export function assignmentsTable(assignments) {
  if (assignments.length === 0) return el("p", { className: "empty" }, "The pool has no assignments now.");
  const rows = assignments.map((a, i) => {
    const t = a.target ?? {};
    const filtered = t[FILTER_TYPE] && t[FILTER_TYPE] !== "none";
    const filter = filtered ? [`${t[FILTER_TYPE]} `, el("code", {}, t[FILTER_ID] ?? "")] : ["none"];
    const values = [[String(i + 1)], [kindLabel(t["@odata.type"])], [t.groupId ?? t.collectionId ?? "—"], filter, [a.id ?? "—"]];
    const cells = values.map((v, j) => {
      const cell = el(j === 0 ? "th" : "td", {}, ...v);
      if (j === 0) cell.scope = "row";
      // The column's name, shown beside each value when the table is stacked on a phone.
      cell.dataset.label = COLUMNS[j];
      return cell;
    });
    return el("tr", {}, ...cells);
  });
  return el("table", { className: "assignments" },
    el("caption", {}, `The pool's assignments, as Graph returned them (${assignments.length})`),
    el("thead", {}, el("tr", {}, ...COLUMNS.map((c) => Object.assign(el("th", {}, c), { scope: "col" })))),
    el("tbody", {}, ...rows),
  );
}

/** A rejection of `assign`, explained. `baseUrl`: where the call went, for network errors. */
export function errorReport(e, { baseUrl }) {
  const facts = [];
  const fact = (term, value) => value !== undefined && value !== null && value !== "" && facts.push([term, String(value)]);
  let title;
  let advice;
  switch (e?.name) {
    case "GraphError":
      title = {
        401: "Graph did not accept the access token",
        403: "Graph refused: the token is not allowed to do this",
        404: "Graph found no such pool",
        429: "Graph is throttling: too many requests",
      }[e.status] ?? "Graph answered with an error";
      fact("Kind", e.name);
      fact("HTTP status", statusText(e.status));
      fact("Graph code", e.code);
      fact("Message", e.message);
      // Set when Graph asked for a longer wait than the package may take (retryMaxDelayMs).
      fact("Graph asks to wait", e.retryAfterMs === undefined ? undefined : `${Math.ceil(e.retryAfterMs / 1000)} s`);
      fact("Request id", e.requestId);
      fact("client-request-id", e.clientRequestId);
      fact("Date", e.date);
      advice = "Give Microsoft support the request id and date if you need their help.";
      break;
    case "NetworkError":
      title = `Could not reach ${safeOrigin(baseUrl)}`;
      fact("Kind", e.name);
      fact("Message", e.message);
      fact("Cause", e.cause?.message ?? e.cause);
      fact("client-request-id", e.clientRequestId);
      advice = "Check the base URL and your connection. A browser reports a blocked cross-origin call the same way.";
      break;
    case "TimeoutError":
      title = "No answer in time";
      fact("Kind", e.name);
      fact("Message", e.message);
      fact("client-request-id", e.clientRequestId);
      advice = "Graph may still have applied the change: read the pool's assignments before trying again.";
      break;
    case "ResponseError":
      title = "Graph answered, but not with what it documents";
      fact("Kind", e.name);
      fact("HTTP status", statusText(e.status));
      fact("Message", e.message);
      fact("client-request-id", e.clientRequestId);
      break;
    case "AbortError":
      title = "The call was stopped";
      advice = "Nothing more will be sent. If the request had already reached Graph, the change may have been applied.";
      break;
    default:
      title = "Something unexpected went wrong";
      fact("Kind", e?.name ?? typeof e);
      fact("Message", e?.message ?? String(e));
  }
  const box = el("div", { className: e?.name === "AbortError" ? "report notice" : "report failure" }, el("h3", {}, title));
  if (facts.length) box.append(el("dl", {}, ...facts.flatMap(([t, v]) => [el("dt", {}, t), el("dd", {}, v)])));
  if (advice) box.append(el("p", {}, advice));
  return box;
}

/** The issues no field could show (an option the page does not edit, say), as a list. */
export function issueList(issues) {
  return el("ul", { className: "issues" }, ...issues.map(({ path, message }) => el("li", {}, el("code", {}, path), `: ${message}`)));
}

function safeOrigin(url) {
  try {
    return new URL(url).host;
  } catch {
    return "Graph";
  }
}
