// The Pools view: every pool of the tenant with its targets and its devices by state, from one
// poolReport call; the devices that failed in a table under them; and, from each pool, a way to
// open it in the assign form or rename it. It calls Graph with the assign form's base URL and
// token, so there is one token field on the page and the token is typed (and kept) only there.
import { poolReport, updatePool, ValidationError } from "intune-esim";
import { el } from "./dom.js";
import { stateBar } from "./bars.js";
import { failuresTable } from "./failures.js";
import { renameForm } from "./rename.js";
import { errorReport, issueList, statusText } from "./results.js";

const $ = (id) => document.getElementById(id);
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** `settings()`: the assign form's `{ baseUrl, token }`; `openInAssign(poolId)`: shows the pool there. */
export function createPoolsView({ settings, openInAssign }) {
  const list = $("pools");
  const status = $("pools-status");
  const progress = $("pools-progress");
  const problem = $("pools-error");
  const failures = $("failures");
  let reports = [];
  let call = null; // the AbortController of the report being read
  let readWith = null; // the settings of the report shown, to notice when the assign form's change

  async function load() {
    call?.abort(); // a Refresh during a read: only the newest read is shown
    const mine = (call = new AbortController());
    readWith = settings();
    const { baseUrl, token } = readWith;
    $("pools-source").textContent = `From ${host(baseUrl)}, with the base URL and access token of the Assign view.`;
    reports = [];
    list.replaceChildren();
    failures.replaceChildren();
    problem.replaceChildren();
    progress.removeAttribute("value"); // no total yet: the list of pools comes first
    progress.hidden = false;
    status.textContent = `Reading the pools from ${host(baseUrl)}…`;
    try {
      const report = await poolReport(token, {
        baseUrl,
        signal: mine.signal,
        timeoutMs: 120_000,
        onProgress({ done, total }) {
          if (mine !== call) return;
          progress.max = total;
          progress.value = done;
          status.textContent = `Reading each pool's targets and devices: ${done} of ${total}…`;
        },
      });
      if (mine !== call) return;
      reports = report.pools;
      render();
      const unread = reports.filter((r) => r.error).length;
      status.textContent =
        `${plural(reports.length, "pool", "pools")} as of ${clock(report.generatedDateTime)}` +
        (unread ? `; ${plural(unread, "pool", "pools")} could not be read, said below.` : ".");
    } catch (e) {
      if (mine !== call) return;
      if (e instanceof ValidationError) {
        status.textContent = "Nothing was sent: the base URL or the access token in the Assign view needs fixing.";
        problem.append(issueList(e.issues));
      } else {
        status.textContent = e?.name === "GraphError" ? `Failed: Graph answered ${statusText(e.status)}.` : `Failed: ${e?.name ?? "error"}.`;
        problem.append(errorReport(e, { baseUrl }));
      }
    } finally {
      if (mine === call) {
        progress.hidden = true;
        call = null;
      }
    }
  }

  function render() {
    list.replaceChildren(...reports.map(card));
    if (reports.length === 0) list.append(el("li", { className: "empty" }, "The tenant has no eSIM activation code pools."));
    failures.replaceChildren(failuresTable(reports));
  }

  function card(report) {
    const { pool } = report;
    const item = el("li", { className: report.error ? "pool unread" : "pool" });
    item.dataset.poolId = pool.id;
    item.append(el("div", { className: "pool-head" }, el("h3", {}, pool.displayName), el("code", { className: "pool-id" }, pool.id)));
    const facts = [["Activation codes", pool.activationCodeCount]];
    if (!report.error) facts.push(["Targets", report.assignments.length], ["Devices", report.deviceStates.total]);
    item.append(el("dl", { className: "pool-facts" }, ...facts.map(([t, v]) => el("div", {}, el("dt", {}, t), el("dd", {}, String(v ?? "—"))))));
    if (report.error) {
      // The other pools were read: this one's error stays with it.
      item.append(el("p", { className: "unread-note" }, "Its targets and devices could not be read."), errorReport(report.error, { baseUrl: settings().baseUrl }));
    } else {
      item.append(stateBar(report.deviceStates));
    }

    const open = el("button", { type: "button", className: "secondary" }, "Open in assign form");
    open.setAttribute("aria-label", `Open in assign form: ${pool.displayName}`);
    open.addEventListener("click", () => openInAssign(pool.id));
    const rename = el("button", { type: "button", className: "secondary rename-toggle" }, "Rename");
    rename.setAttribute("aria-label", `Rename: ${pool.displayName}`);
    rename.addEventListener("click", () => startRename(item, report, rename));
    item.append(el("div", { className: "pool-actions" }, open, rename));
    return item;
  }

  function startRename(item, report, button) {
    if (item.querySelector("form.rename")) return;
    const close = () => {
      rename.form.remove();
      button.hidden = false;
      button.focus();
    };
    const rename = renameForm({
      pool: report.pool,
      baseUrl: () => settings().baseUrl,
      save(displayName) {
        const { baseUrl, token } = settings();
        return updatePool(report.pool.id, { displayName }, token, { baseUrl, timeoutMs: 60_000 });
      },
      done(updated) {
        for (const key of Object.keys(report.pool)) if (key in updated) report.pool[key] = updated[key];
        const fresh = card(report);
        item.replaceWith(fresh);
        failures.replaceChildren(failuresTable(reports));
        status.textContent = `Renamed to “${report.pool.displayName}”.`;
        fresh.querySelector(".rename-toggle").focus();
      },
      cancel: close,
    });
    button.hidden = true;
    item.append(rename.form);
    rename.focus();
  }

  $("refresh").addEventListener("click", load);

  return {
    /** The view became visible: read the report the first time, and again when the base URL or
     *  token changed (the report shown, and a rename, must be of the same Graph). */
    shown() {
      const now = settings();
      if (!readWith || now.baseUrl !== readWith.baseUrl || now.token !== readWith.token) load();
    },
  };
}

function host(url) {
  try {
    return new URL(url).host;
  } catch {
    return "Graph";
  }
}

/** "21:40:05 UTC": the same on every machine. */
const clock = (iso) => `${new Date(iso).toISOString().slice(11, 19)} UTC`;
