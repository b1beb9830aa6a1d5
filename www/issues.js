// Problems shown where they belong: each `{ path, message }` of a ValidationError's issues goes
// next to the control whose `data-path` names it, or, for a path inside a target that has no
// control of its own, next to that target. What fits nowhere is returned.

/** Clears every shown problem under `root`, then shows `issues`; returns those it could not place. */
export function showIssues(root, issues) {
  for (const el of root.querySelectorAll("[data-path]")) place(el, []);
  const byElement = new Map();
  const unplaced = [];
  for (const issue of issues) {
    const el = closestControl(root, issue.path);
    if (el) byElement.set(el, [...(byElement.get(el) ?? []), issue]);
    else unplaced.push(issue);
  }
  for (const [el, list] of byElement) place(el, list);
  return unplaced;
}

/** The control of `path`, or of the nearest enclosing path: `assignments[1].target.x` → the target. */
function closestControl(root, path) {
  for (let p = path; p; ) {
    const el = root.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (el) return el;
    const shorter = p.replace(/(\.[^.[\]]+|\[\d+\]|\["[^"]*"\])$/, "");
    if (shorter === p) return null;
    p = shorter;
  }
  return null;
}

function place(el, issues) {
  const error = document.getElementById(el.getAttribute("aria-describedby")?.split(" ")[0] ?? "");
  if (!error) return;
  error.textContent = "";
  for (const { path, message } of issues) {
    const line = document.createElement("span");
    line.className = "error-line";
    line.append(sentence(message), " ");
    const code = document.createElement("code");
    code.textContent = path;
    line.append(code);
    error.append(line);
  }
  if (el.matches("input, select")) {
    if (issues.length) el.setAttribute("aria-invalid", "true");
    else el.removeAttribute("aria-invalid");
  }
  if (el.matches("fieldset")) el.classList.toggle("invalid", issues.length > 0);
}

/** "is the same target as assignments[0]" → "Is the same target as target 1." (as the form numbers them) */
export function sentence(message) {
  const plain = message.replace(/\bassignments\[(\d+)\]/g, (_, i) => `target ${Number(i) + 1}`);
  const s = plain.charAt(0).toUpperCase() + plain.slice(1);
  return /[.!?)]$/.test(s) ? s : `${s}.`;
}
