// A pool's new name, typed in place. The package checks the name (not blank, as for createPool)
// before anything is sent; its problems show at the field, as the assign form's do.
import { ValidationError } from "intune-esim";
import { el } from "./dom.js";
import { showIssues } from "./issues.js";
import { errorReport, issueList } from "./results.js";

/**
 * `pool`: the pool's summary; `save(name)`: resolves to the renamed pool or rejects with the
 * package's error; `done(pool)` after a rename, `cancel()` when left as it was;
 * `baseUrl()`: where calls go, for the words of a network error.
 */
export function renameForm({ pool, save, done, cancel, baseUrl }) {
  const id = `rename-${pool.id}`;
  const input = el("input", { id, name: "displayName", type: "text", value: pool.displayName, autocomplete: "off", spellcheck: false });
  input.dataset.path = "changes.displayName";
  input.setAttribute("aria-describedby", `${id}-error`);
  const saveButton = el("button", { type: "submit" }, "Save");
  const cancelButton = el("button", { type: "button", className: "secondary" }, "Cancel");
  const outcome = el("div", { className: "rename-outcome" });
  const form = el("form", { className: "rename", noValidate: true },
    el("div", { className: "field" },
      el("label", { htmlFor: id }, "New name"),
      input,
      el("p", { className: "error", id: `${id}-error` }),
    ),
    el("div", { className: "actions" }, saveButton, cancelButton),
    outcome,
  );
  let saving = false;

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (saving) return;
    saving = true;
    saveButton.setAttribute("aria-disabled", "true");
    outcome.replaceChildren();
    try {
      done(await save(input.value.trim()));
    } catch (error) {
      if (error instanceof ValidationError) {
        const unplaced = showIssues(form, error.issues);
        if (unplaced.length) outcome.append(issueList(unplaced));
      } else {
        showIssues(form, []);
        outcome.append(errorReport(error, { baseUrl: baseUrl() }));
      }
      input.focus();
    } finally {
      saving = false;
      saveButton.removeAttribute("aria-disabled");
    }
  });
  cancelButton.addEventListener("click", cancel);
  form.addEventListener("keydown", (e) => {
    if (e.key === "Escape") cancel();
  });
  return { form, focus: () => input.select() };
}
