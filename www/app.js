// The demo page: a form for `assign`, a live preview of the request it will send, and the answer
// in plain words; beside it, the Pools view. It imports the package by name, exactly as a portal would.
import { assign, ValidationError } from "intune-esim";
import { toAssignments } from "./assignments.js";
import { createEditor } from "./editor.js";
import { showIssues } from "./issues.js";
import { check, previewText, newGuid } from "./preview.js";
import { assignmentsTable, errorReport, issueList, statusText } from "./results.js";
import { createPoolsView } from "./pools.js";
import { startRouter } from "./router.js";

const $ = (id) => document.getElementById(id);
const form = $("assign-form");
const fields = { baseUrl: $("baseUrl"), poolId: $("poolId"), token: $("token") };
const assignButton = $("assign");
const cancelButton = $("cancel");
const status = $("status");
const retries = $("retries");
const result = $("result");

// The clouds of Graph's national deployments, as the package's README lists them.
const CLOUDS = [
  { label: "Public cloud", url: "https://graph.microsoft.com/beta", hint: "Microsoft Graph, the public cloud." },
  { label: "US Gov L4", url: "https://graph.microsoft.us/beta", hint: "Microsoft Graph for US Government L4." },
  { label: "US Gov L5 (DoD)", url: "https://dod-graph.microsoft.us/beta", hint: "Microsoft Graph for US Government L5 (DoD)." },
  { label: "China (21Vianet)", url: "https://microsoftgraph.chinacloudapi.cn/beta", hint: "Microsoft Graph operated by 21Vianet in China." },
];

// `npm run demo` serves where its local Graph emulator is, with the emulator's example pool and
// test token; anywhere else the page starts on the public cloud with empty fields.
const [config, retriesSupported] = await Promise.all([loadConfig(), supportsRetries()]);
const emulator = config.emulator;
const presets = emulator
  ? [{ label: "Local emulator", url: emulator.baseUrl, hint: "The local Graph emulator on this machine: no Microsoft account needed." }, ...CLOUDS]
  : CLOUDS;

const editor = createEditor($("targets"), $("target-template"), refresh);
// A fresh client-request-id for each call, shown in the preview and passed to assign, so the
// preview is the request itself and the id can be found in Graph's logs.
let clientRequestId = newGuid();
// After the first Assign, every field shows its problems, touched or not.
let checkAll = false;
let call = null; // the AbortController of the call in flight
let refreshes = 0; // counts the form's refreshes, so only the latest one's checks are shown

async function loadConfig() {
  try {
    const res = await fetch("/config.json");
    return res.ok ? await res.json() : {};
  } catch {
    return {};
  }
}

// Retries (`onRetry`, `maxRetries`, ...) are new in the package. An older version rejects options
// it does not know, so ask it once: a call with an empty pool id is refused before anything is
// sent, and its issues say whether `onRetry` is known.
async function supportsRetries() {
  try {
    await assign("", [], "probe", { onRetry() {} });
  } catch (e) {
    return !(e instanceof ValidationError && e.issues.some((i) => i.path.startsWith("options.onRetry")));
  }
  return true;
}

function readForm() {
  return {
    baseUrl: fields.baseUrl.value.trim(),
    poolId: fields.poolId.value.trim(),
    token: fields.token.value.trim(),
    rows: editor.rows(),
  };
}

/** Everything that follows from the form: preview, empty-list warning, presets, live checks. */
async function refresh({ issues = true } = {}) {
  const values = readForm();
  $("empty-warning").hidden = values.rows.length > 0;
  const preset = presets.find((p) => p.url === values.baseUrl);
  for (const button of $("presets").children) button.setAttribute("aria-pressed", String(button.dataset.url === values.baseUrl));
  $("baseUrl-hint").textContent = preset?.hint ?? "A Graph root of your own.";
  $("token-hint").textContent =
    emulator && values.baseUrl === emulator.baseUrl
      ? "The emulator's test token is filled in."
      : `A token for ${host(values.baseUrl)} with DeviceManagementConfiguration.ReadWrite.All (Graph Explorer shows yours). Kept in this field only: never stored or logged.`;

  // The package's checks answer asynchronously (the first call loads its wasm): an edit made
  // meanwhile starts a newer refresh, whose answer is the one to show.
  const mine = ++refreshes;
  let checked;
  try {
    checked = await check({ ...values, assignments: toAssignments(values.rows), clientRequestId });
  } catch (e) {
    if (mine !== refreshes) return;
    $("preview").textContent = `The package could not check the form: ${e?.name ?? "error"}: ${e?.message ?? e}`;
    return;
  }
  if (mine !== refreshes) return;
  $("preview").textContent = previewText(checked);
  if (issues) {
    const shown = checked.issues.filter(({ path }) => checkAll || controlOf(path)?.dataset.touched !== undefined);
    showIssues(document.body, shown);
    $("preview-note").hidden = shown.length === 0;
  }
}

const controlOf = (path) => document.querySelector(`[data-path="${CSS.escape(path)}"]`);

function host(url) {
  try {
    return new URL(url).host;
  } catch {
    return "Graph";
  }
}

function choosePreset({ url }) {
  const wasEmulator = emulator && fields.baseUrl.value === emulator.baseUrl;
  fields.baseUrl.value = url;
  // The emulator's pool and token mean nothing to a real Graph, and a real token must not be
  // replaced by the emulator's: swap them only when the field still holds the emulator's own.
  if (emulator && url === emulator.baseUrl) {
    if (!fields.poolId.value) fields.poolId.value = emulator.poolId;
    if (!fields.token.value) fields.token.value = emulator.token;
  } else if (wasEmulator) {
    if (fields.poolId.value === emulator.poolId) fields.poolId.value = "";
    if (fields.token.value === emulator.token) fields.token.value = "";
  }
  refresh();
}

function setStatus(text) {
  status.textContent = text;
}

function onRetry({ attempt, status: answered, delayMs }) {
  const what = answered ? `Graph answered ${statusText(answered)}` : "The connection failed";
  const item = document.createElement("li");
  const wait = delayMs < 1000 ? `${Math.round(delayMs)} ms` : `${(delayMs / 1000).toFixed(1)} s`;
  item.textContent = `${what}; retry ${attempt} in ${wait}.`;
  retries.append(item);
  retries.hidden = false;
  setStatus(`${what}. Retrying (retry ${attempt})…`);
}

/** The retry options: `onRetry`, plus any of ?maxRetries=&retryBaseDelayMs=&retryMaxDelayMs= in the address. */
function retryOptions() {
  if (!retriesSupported) return {};
  const query = new URLSearchParams(location.search);
  const options = { onRetry };
  for (const name of ["maxRetries", "retryBaseDelayMs", "retryMaxDelayMs"]) {
    if (query.has(name)) options[name] = Number(query.get(name));
  }
  return options;
}

async function send() {
  const values = readForm();
  checkAll = true;
  call = new AbortController();
  assignButton.setAttribute("aria-disabled", "true");
  cancelButton.disabled = false;
  // Disabling the focused button would drop the keyboard focus: hand it to Cancel instead.
  if (document.activeElement === assignButton) cancelButton.focus();
  result.replaceChildren();
  retries.replaceChildren();
  retries.hidden = true;
  setStatus(`Sending to ${host(values.baseUrl)}…`);

  let focusAfter = $("result-heading");
  try {
    const assignments = await assign(values.poolId, toAssignments(values.rows), values.token, {
      baseUrl: values.baseUrl,
      signal: call.signal,
      timeoutMs: 60_000,
      clientRequestId,
      ...retryOptions(),
    });
    showIssues(document.body, []);
    $("preview-note").hidden = true;
    setStatus(`Done: the pool now has ${assignments.length} assignment${assignments.length === 1 ? "" : "s"}.`);
    result.append(assignmentsTable(assignments));
  } catch (e) {
    if (e instanceof ValidationError) {
      const unplaced = showIssues(document.body, e.issues);
      $("preview-note").hidden = false;
      const n = e.issues.length;
      setStatus(`Nothing was sent: ${n} problem${n === 1 ? "" : "s"} to fix, marked next to ${n === 1 ? "its field" : "their fields"}.`);
      if (unplaced.length) result.append(issueList(unplaced));
      // The first problem in the page's order; a whole target is reached through its first control.
      const first = document.querySelector("[aria-invalid=true], fieldset.invalid");
      focusAfter = (first?.matches("fieldset") ? first.querySelector("input, select") : first) ?? focusAfter;
    } else {
      setStatus(
        e?.name === "AbortError" ? "Cancelled."
        : e?.name === "GraphError" ? `Failed: Graph answered ${statusText(e.status)}.`
        : `Failed: ${e?.name ?? "error"}.`,
      );
      result.append(errorReport(e, { baseUrl: values.baseUrl }));
    }
  } finally {
    call = null;
    assignButton.removeAttribute("aria-disabled");
    const hadFocus = document.activeElement === cancelButton || document.activeElement === document.body;
    cancelButton.disabled = true;
    if (hadFocus || focusAfter !== $("result-heading")) focusAfter.focus();
    clientRequestId = newGuid();
    // The problems shown now are the call's own, its signal and retry options checked too, which
    // the live checks do not see; the next edit brings those back.
    refresh({ issues: false });
  }
}

// Wiring.
for (const preset of presets) {
  const button = document.createElement("button");
  Object.assign(button, { type: "button", className: "chip", textContent: preset.label });
  button.dataset.url = preset.url;
  button.addEventListener("click", () => choosePreset(preset));
  $("presets").append(button);
}
for (const button of document.querySelectorAll("[data-add]")) {
  button.addEventListener("click", () => editor.add(button.dataset.add));
}
form.addEventListener("input", (e) => {
  e.target.dataset.touched = "";
  refresh();
});
form.addEventListener("submit", (e) => {
  e.preventDefault();
  if (!call) send(); // one call at a time
});
cancelButton.addEventListener("click", () => call?.abort());

fields.baseUrl.value = presets[0].url;
fields.poolId.value = emulator?.poolId ?? "";
fields.token.value = emulator?.token ?? "";
editor.add("allDevices", { focus: false });
refresh();

// The Pools view calls Graph with this form's base URL and token, and hands a pool back to it.
const pools = createPoolsView({
  settings: () => ({ baseUrl: fields.baseUrl.value.trim(), token: fields.token.value.trim() }),
  openInAssign(poolId) {
    fields.poolId.value = poolId;
    fields.poolId.dataset.touched = "";
    router.go("assign");
    refresh();
    fields.poolId.focus();
  },
});
const router = startRouter((view) => {
  if (view === "pools") pools.shown();
});
