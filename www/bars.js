// A pool's devices at a glance: one bar split by state, each part as wide as its share, and a
// legend under it with the counts. The bar is an image to assistive technology, named by the
// same counts in words, so the legend is hidden from it rather than read twice.
import { el } from "./dom.js";
import { statesInOrder, stateColour, stateLabel } from "./states.js";

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** `deviceStates`: a report's `{ total, byState }`. Returns the bar with its legend. */
export function stateBar({ total, byState }) {
  const shown = statesInOrder(byState).filter((s) => byState[s] > 0);
  const words = shown.map((s) => `${byState[s]} ${stateLabel(s).toLowerCase()}`);
  const bar = el("div", { className: "bar" });
  bar.setAttribute("role", "img");
  bar.setAttribute("aria-label", total ? `${plural(total, "device", "devices")}: ${words.join(", ")}` : "No devices yet");
  for (const state of shown) {
    const part = el("span", { className: "segment", title: `${stateLabel(state)}: ${byState[state]}` });
    part.dataset.state = state;
    part.dataset.count = String(byState[state]);
    // Flex-grow by the count: the widths keep the shares, whatever the bar's width.
    part.style.flexGrow = String(byState[state]);
    part.style.background = stateColour(state);
    bar.append(part);
  }
  const legend = el("ul", { className: "legend" });
  legend.setAttribute("aria-hidden", "true");
  for (const state of shown) {
    const swatch = el("span", { className: "swatch" });
    swatch.style.background = stateColour(state);
    const item = el("li", {}, swatch, `${stateLabel(state)} `, el("strong", {}, String(byState[state])));
    item.dataset.state = state;
    legend.append(item);
  }
  if (!total) legend.append(el("li", { className: "none" }, "No devices yet"));
  return el("div", { className: "states" }, bar, legend);
}
