// The assignment editor: one fieldset per target in an ordered list, added by kind and removed
// by its own button. Each input carries the path the package would report a problem at
// (`assignments[2].target.groupId`), kept right as rows come and go.
import { KINDS, FILTER_ID, FILTER_TYPE } from "./assignments.js";

let nextId = 0;

/** `list`: the <ol>; `template`: the row's <template>; `onChange()`: after every add or remove. */
export function createEditor(list, template, onChange) {
  function add(kind, { focus = true } = {}) {
    const { label, id, idLabel } = KINDS[kind];
    const row = template.content.firstElementChild.cloneNode(true);
    const key = `target-${nextId++}`;
    row.id = key;
    row.dataset.kind = kind;
    row.querySelector(".row-error").id = `${key}-error`;
    row.querySelector("fieldset").setAttribute("aria-describedby", `${key}-error`);

    // Unique ids tie each label and error message to its input.
    for (const field of row.querySelectorAll(".field")) {
      const control = field.querySelector("input, select");
      control.id = `${key}-${control.name}`;
      field.querySelector("label").htmlFor = control.id;
      field.querySelector(".error").id = `${control.id}-error`;
      control.setAttribute("aria-describedby", `${control.id}-error`);
    }
    const idField = row.querySelector(".target-id");
    if (id) idField.querySelector("label").textContent = idLabel;
    else idField.remove();
    if (id === "groupId") idField.querySelector("input").placeholder = "the group's object id (a GUID)";
    if (id === "collectionId") idField.querySelector("input").placeholder = "e.g. SMS00001";
    row.querySelector(".filter-id input").placeholder = "the filter's id (a GUID)";

    const filterType = row.querySelector("select");
    filterType.addEventListener("change", () => {
      row.querySelector(".filter-id").hidden = filterType.value === "none";
    });
    row.querySelector(".remove").addEventListener("click", () => remove(row));
    row.dataset.label = label;

    list.append(row);
    renumber();
    onChange();
    // Straight to the first thing to fill in, or to the row's button when there is nothing to fill.
    if (focus) (row.querySelector("input") ?? row.querySelector(".remove")).focus();
    return row;
  }

  function remove(row) {
    // Keep the keyboard focus nearby: on the next row, the previous one, or the add buttons.
    const next = row.nextElementSibling ?? row.previousElementSibling;
    row.remove();
    renumber();
    onChange();
    (next?.querySelector(".remove") ?? document.querySelector("[data-add]")).focus();
  }

  function renumber() {
    [...list.children].forEach((row, i) => {
      const path = `assignments[${i}].target`;
      const name = `${i + 1}. ${row.dataset.label}`;
      row.querySelector("legend").textContent = name;
      row.querySelector("fieldset").dataset.path = path;
      row.querySelector("[name=id]")?.setAttribute("data-path", `${path}.${KINDS[row.dataset.kind].id}`);
      row.querySelector("[name=filterType]").dataset.path = `${path}.${FILTER_TYPE}`;
      row.querySelector("[name=filterId]").dataset.path = `${path}.${FILTER_ID}`;
      row.querySelector(".remove").setAttribute("aria-label", `Remove target ${name}`);
    });
  }

  /** The rows' values, as `toAssignments` takes them. */
  function rows() {
    return [...list.children].map((row) => ({
      kind: row.dataset.kind,
      id: row.querySelector("[name=id]")?.value.trim() ?? "",
      filterType: row.querySelector("[name=filterType]").value,
      filterId: row.querySelector("[name=filterId]").value.trim(),
    }));
  }

  return { add, rows };
}
