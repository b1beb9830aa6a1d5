// How a device state looks: its colour, and its place in a pool's bar. Settled states come
// first and problems last, so trouble is always at the bar's right end. The states themselves
// are the report's (its `byState` counts every state the package knows, zeros included): one
// Graph adds later still shows, after these, in a neutral colour, with no change here.
// The colours read on both the light and the dark background.
const LOOK = {
  installed: "#2e8540",
  installing: "#3b7fc4",
  notEvaluated: "#8a949f",
  deleting: "#8e6bbf",
  deleted: "#a8957a",
  removedByUser: "#c9a227",
  error: "#e0702e",
  failed: "#c62828",
};
const OTHER = "#5f6b77";

/** The states of a report's `byState`, in the order a bar shows them. */
export function statesInOrder(byState) {
  const present = Object.keys(byState);
  const known = Object.keys(LOOK).filter((s) => present.includes(s));
  return [...known, ...present.filter((s) => !(s in LOOK))];
}

export const stateColour = (state) => LOOK[state] ?? OTHER;

/** Graph's camelCase name in words: `removedByUser` → "Removed by user". */
export function stateLabel(state) {
  const words = state.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
