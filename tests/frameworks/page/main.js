import { assign, GraphError, LoadError, ValidationError } from "intune-esim";

const form = document.querySelector("form");
const output = document.querySelector("output");

// The token comes from the form here; a portal gets it from MSAL (see "In a portal, with MSAL").
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { baseUrl, poolId, token } = Object.fromEntries(new FormData(form));
  try {
    const assignments = await assign(poolId, [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }], token, { baseUrl });
    output.textContent = `Assigned: ${assignments.map((a) => a.target["@odata.type"]).join(", ")}`;
  } catch (e) {
    if (e instanceof ValidationError) output.textContent = `ValidationError: ${e.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`;
    else if (e instanceof GraphError) output.textContent = `GraphError ${e.status}: ${e.message}`;
    else if (e instanceof LoadError) output.textContent = `LoadError: ${e.message}`;
    else throw e;
  }
});
