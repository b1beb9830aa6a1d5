// Medians and ranges of repeated measurements.

/** `{ median, min, max, runs }` of a list of numbers (the runs kept in the order they ran). */
export function summary(runs) {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs };
}

/** `list` rotated left by `by`: run r starts with another contender, so none always goes first. */
export function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}
