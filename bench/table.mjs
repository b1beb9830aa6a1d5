// The results as one plain-text table: four sections side by side for (a), (b), (c), ratios of
// medians, then the budgets. Times are "median [min-max]"; a cell measured in fewer runs than
// asked (a contender slower than the time cap) says how many.

const KB = 1000;
const COLUMNS = ["", "(a) intune-esim", "(b) msgraph-client", "(c) fetch", "(a)/(b)", "(c)/(b)", "(a)/(c)"];

/** A number with about three significant digits, thousands grouped. */
export function num(v) {
  if (!Number.isFinite(v)) return String(v);
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
const kb = (bytes) => num(bytes / KB);
const trio = (s) => (s ? `${kb(s.raw)} / ${kb(s.gzip)} / ${kb(s.brotli)}` : "");
const ratio = (x, y) => (x !== undefined && y ? `${(x / y).toFixed(2)}` : "");

function timed(s, runs) {
  if (!s) return "";
  const n = s.runs.length;
  if (n === 1) return `${num(s.median)} (1 run)`;
  const text = `${num(s.median)} [${num(s.min)}-${num(s.max)}]`;
  return n < runs ? `${text} (${n} runs)` : text;
}

/** A row: label, three values (summaries, numbers or text), and which ratios of them to show. */
function row(label, [a, b, c], { runs, ratios = [] } = {}) {
  const text = (v) => (v === undefined ? "" : typeof v === "string" ? v : typeof v === "number" ? num(v) : timed(v, runs));
  const m = (v) => (v && typeof v === "object" ? v.median : v);
  return [
    label,
    text(a),
    text(b),
    text(c),
    ratios.includes("ab") ? ratio(m(a), m(b)) : "",
    ratios.includes("cb") ? ratio(m(c), m(b)) : "",
    ratios.includes("ac") ? ratio(m(a), m(c)) : "",
  ];
}

const verdict = (ok) => (ok ? "holds" : "missed");

export function formatTable(r) {
  const { runs } = r.settings;
  const apps = ["ours", "msgraph", "fetch"];
  const rows = [];
  const section = (title) => rows.push([title]);

  section(`1. Size, KB (1 KB = 1,000 bytes): raw / gzip -9 / brotli q11`);
  const p = r.size.package;
  rows.push(row(`package .wasm (${p.assets.files.length} file)`, [trio(p.assets)]));
  rows.push(row(`package JS the browser entry loads (${p.js.files.length} files)`, [trio(p.js)]));
  rows.push(row("package total, loaded by the first call", [trio(p.total)]));
  // As a page fetches them, counted by the server in headless Chromium (bench/loading.mjs).
  const pages = r.loading.pages;
  rows.push(row(`first call of each of ${pages.operations.length} operations, as Chromium fetches it, gzip: largest (${pages.largest.operation})`, [kb(pages.largest.gzip)]));
  rows.push(row(`first call of each operation, gzip: smallest (${pages.smallest.operation})`, [kb(pages.smallest.gzip)]));
  rows.push(row(`a page calling every operation, one after another, gzip (${pages.every.files.length} files)`, [kb(pages.every.gzip)]));
  const b = r.size.bundles;
  rows.push(row("app bundle: JS, esbuild --minify", apps.map((a) => trio(b[a].js))));
  rows.push(row("app bundle: wasm asset", apps.map((a) => (b[a].assets.files.length ? trio(b[a].assets) : "-"))));
  for (const k of ["raw", "gzip", "brotli"]) {
    rows.push(row(`app shipped total (JS + wasm), ${k}`, apps.map((a) => b[a].total[k] / KB), { ratios: ["ab", "cb"] }));
  }

  const s = r.startup;
  section(`2. Start-up in Node, ms (${runs} fresh processes each)`);
  const st = (k) => apps.map((a) => s.apps[a][k]);
  rows.push(row("import to ready", st("importToReadyMs"), { runs, ratios: ["ab"] }));
  rows.push(row("import to first call's promise", st("importToFirstPromiseMs"), { runs, ratios: ["ab"] }));
  rows.push(row("import to first answer (loopback)", st("importToFirstAnswerMs"), { runs, ratios: ["ab"] }));
  rows.push(row("fresh process to first call's promise", st("freshToFirstPromiseMs"), { runs, ratios: ["ab"] }));
  rows.push(row("wasm alone: WebAssembly.compile", [s.wasm.compileMs], { runs }));
  rows.push(row("wasm alone: instantiate (initSync)", [s.wasm.instantiateMs], { runs }));

  section("3. Per call against the local emulator on loopback");
  for (const c of r.perCall) {
    const what = `${c.assignments.toLocaleString("en-US")} assignment${c.assignments > 1 ? "s" : ""}, ${c.inFlight === 1 ? "one at a time" : `${c.inFlight} in flight`}`;
    rows.push(row(`${what}: calls/s`, apps.map((a) => c.apps[a].callsPerSecond), { runs, ratios: ["ab", "cb", "ac"] }));
    rows.push(row(`${what}: CPU us/call`, apps.map((a) => c.apps[a].cpuMicrosPerCall), { runs, ratios: ["ab", "cb", "ac"] }));
  }

  const ip = r.inProcess;
  section("4. In-process: validation + request building (fetch option answers at once)");
  for (const x of ip.sizes) {
    rows.push(row(`${x.assignments.toLocaleString("en-US")} assignment${x.assignments > 1 ? "s" : ""}: assignments/s`, [x.assignmentsPerSecond], { runs }));
  }
  const mem = ip.memory;
  rows.push(row(`${mem.assignments.toLocaleString("en-US")} assignments: wasm memory before -> after, MB`, [`${num(mem.beforeBytes / 1e6)} -> ${num(mem.afterBytes / 1e6)}`]));

  const bulk = r.bulk;
  section(`5. Bulk: ${bulk.pools} pools, emulator limit ${bulk.limit.writes} writes per ${bulk.limit.perMs / 1000} s (Intune's per 20 s, scaled); one run each`);
  for (const x of [bulk.paced, bulk.naive]) {
    const what = `${x.name}: ${num(x.seconds)} s = ${x.ratioToBound.toFixed(2)} x the ${num(x.boundSeconds)} s bound`;
    rows.push(row(what, [`${x.throttled} 429s, ${x.assigned}/${bulk.pools} assigned`]));
  }

  const fleet = r.fleet;
  section(`6. Fleet: ${fleet.pools} pools (3 assignments, 20 device states each), emulator limit ${fleet.limit.requests.toLocaleString("en-US")} requests per ${fleet.limit.perMs / 1000} s (Intune's per 20 s, scaled), ${fleet.latencyMs} ms a request; one run each`);
  for (const x of [fleet.report, fleet.naive]) {
    const what = `${x.name}: ${num(x.seconds)} s = ${x.ratioToBound.toFixed(2)} x the ${num(fleet.boundSeconds)} s bound`;
    rows.push(row(what, [`${x.requests} requests in ${x.roundTrips} round trips, ${x.throttled} 429s, ${x.read}/${fleet.pools} pools read`]));
  }
  for (const x of [fleet.batched, fleet.unbatched]) {
    rows.push(row(`${x.name}: ${num(x.seconds)} s`, [`${x.requests} requests in ${x.roundTrips} round trips, ${x.throttled} 429s, ${x.read}/${fleet.pools} pools read`]));
  }

  const tenants = r.tenants;
  if (tenants) {
    section(`7. Many tenants: ${tenants.tenants} tenants of ${tenants.pools} pools, emulator limit ${tenants.limit.requests.toLocaleString("en-US")} requests per ${tenants.limit.perMs / 1000} s per app per tenant (scaled), ${tenants.latencyMs} ms a request; one run each`);
    for (const x of tenants.rows) {
      const what = `${x.name}: ${num(x.seconds)} s = ${x.ratioToBound.toFixed(2)} x the ${num(tenants.boundSeconds)} s bound of one tenant`;
      rows.push(row(what, [`${x.requests} requests, ${x.throttled} 429s, ${x.read} pools read`]));
    }
  }

  section("8. Budgets");
  // As a page fetches them (bench/loading.mjs).
  const first = pages.largest.gzip;
  rows.push(row("first call of any operation, as a page fetches it, gzip <= 60 KB, aim 45 KB", [`${kb(first)}: ${first <= 45 * KB ? "both hold" : first <= 60 * KB ? "60 holds, 45 missed" : "missed"}`]));
  const every = pages.every.gzip;
  rows.push(row("a page using every operation, gzip <= 100 KB", [`${kb(every)}: ${every <= 100 * KB ? "holds" : "missed"}`]));
  // CPU of this process per call: fetch's over ours (1 is as cheap as a bare fetch).
  const cpuRatio = (c, other) => c.apps[other].cpuMicrosPerCall.median / c.apps.ours.cpuMicrosPerCall.median;
  const span = (list) => `${Math.min(...list).toFixed(2)}-${Math.max(...list).toFixed(2)}`;
  for (const [n, floor] of [[1, 0.75], [1000, 0.3]]) {
    const ratios = r.perCall.filter((c) => c.assignments === n).map((c) => cpuRatio(c, "fetch"));
    rows.push(row(`CPU per call, ${n.toLocaleString("en-US")} assignment${n > 1 ? "s" : ""}: fetch's / ours >= ${floor}`, [`${span(ratios)}: ${verdict(ratios.every((x) => x >= floor))}`]));
  }
  const vsMs = r.perCall.filter((c) => c.assignments === 1).map((c) => cpuRatio(c, "msgraph"));
  rows.push(row("CPU per call, 1 assignment: msgraph-client's / ours >= 1", [`${span(vsMs)}: ${verdict(vsMs.every((x) => x >= 1))}`]));
  const ready = s.apps.ours.importToReadyMs.median;
  rows.push(row("start-up: import to ready < 5 ms", [`${num(ready)} ms: ${verdict(ready < 5)}`]));
  rows.push(row("bulk: assignMany within 1.1 x the bound, all assigned", [`${bulk.paced.ratioToBound.toFixed(2)}: ${verdict(bulk.paced.ratioToBound <= 1.1 && bulk.paced.assigned === bulk.pools)}`]));
  const rep = fleet.report;
  rows.push(row("fleet: poolReport within 1.1 x the bound, 0 429s, all read", [`${rep.ratioToBound.toFixed(2)}, ${rep.throttled} 429s: ${verdict(rep.ratioToBound <= 1.1 && rep.throttled === 0 && rep.read === fleet.pools)}`]));

  return layout(rows);
}

/** Pads every column to its widest cell; section titles span the row. */
function layout(rows) {
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length > 1).map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  const out = [line(COLUMNS)];
  for (const r of rows) out.push(r.length === 1 ? r[0] : line(r));
  return out.join("\n");
}
