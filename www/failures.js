// The devices whose eSIM profile did not install, every pool's in one table, so they can be
// followed up one by one. On a phone each row becomes a small card, as the assignments' do.
import { el } from "./dom.js";
import { stateColour, stateLabel } from "./states.js";

const COLUMNS = ["Pool", "Device", "User", "State", "Details", "Last sync"];

/** `reports`: the report's pools. Pools that could not be read have no failures to list. */
export function failuresTable(reports) {
  const rows = reports.flatMap(({ pool, failures = [] }) => failures.map((f) => row(pool, f)));
  if (rows.length === 0) return el("p", { className: "empty" }, "No device failed to install its eSIM profile.");
  return el("table", { className: "failures" },
    el("caption", {}, `Devices whose eSIM profile did not install (${rows.length})`),
    el("thead", {}, el("tr", {}, ...COLUMNS.map((c) => Object.assign(el("th", {}, c), { scope: "col" })))),
    el("tbody", {}, ...rows),
  );
}

function row(pool, f) {
  const swatch = el("span", { className: "swatch" });
  swatch.style.background = stateColour(f.state);
  const values = [
    [pool.displayName],
    [f.deviceName ?? "—"],
    [f.userName ?? "—"],
    [el("span", {}, swatch, stateLabel(f.state))],
    [f.stateDetails ?? "—"],
    [syncTime(f.lastSyncDateTime)],
  ];
  const tr = el("tr", {}, ...values.map((v, i) => {
    const cell = el(i === 0 ? "th" : "td", {}, ...v);
    if (i === 0) cell.scope = "row";
    // The column's name, shown beside each value when the table is stacked on a phone.
    cell.dataset.label = COLUMNS[i];
    return cell;
  }));
  tr.dataset.poolId = pool.id;
  tr.dataset.deviceStateId = f.id;
  return tr;
}

/** The same words on every machine (UTC, to the minute), with the exact time kept in the element. */
function syncTime(iso) {
  const at = iso ? new Date(iso) : null;
  if (!at || Number.isNaN(at.getTime())) return "—";
  return el("time", { dateTime: iso }, `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`);
}
