// Request bodies for the bench: `n` group assignments in Graph's documented shape, each with its own
// group id (a valid GUID), so no rule about repeated targets is broken.

export function groupAssignments(n) {
  return Array.from({ length: n }, (_, i) => ({
    "@odata.type": "#microsoft.graph.embeddedSIMActivationCodePoolAssignment",
    target: {
      "@odata.type": "#microsoft.graph.groupAssignmentTarget",
      groupId: `${(0x3f1e2d4c + i).toString(16).padStart(8, "0")}-5b6a-4978-8695-${i.toString(16).padStart(12, "0")}`,
    },
  }));
}

/** Throws unless `value` is the answer to sending `sent`: as many items, first and last targets echoed. */
export function checkAnswer(value, sent) {
  const ok =
    Array.isArray(value) &&
    value.length === sent.length &&
    (sent.length === 0 ||
      (value[0]?.target?.groupId === sent[0].target.groupId && value.at(-1)?.target?.groupId === sent.at(-1).target.groupId));
  if (!ok) throw new Error(`unexpected answer: ${JSON.stringify(value)?.slice(0, 200)}`);
}
