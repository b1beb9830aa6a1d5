// The same API from CommonJS TypeScript (a .cts file: its imports compile to require), which
// resolves the package's index.d.cts; the inline entry has the same types.
import { assign, GraphError, LoadError, ValidationError, type Assignment } from "intune-esim";
import { assign as assignInline } from "intune-esim/inline";

async function main(): Promise<Assignment[]> {
  try {
    return await assign("e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7", [], "token");
  } catch (e) {
    if (e instanceof LoadError) console.error(e.url, e.status satisfies number | undefined, e.cause);
    else if (e instanceof ValidationError) console.error(e.issues.map((i) => i.path));
    else if (e instanceof GraphError) console.error(e.status satisfies number);
    return assignInline("e7304dcc-4dcc-e730-cc4d-30e7cc4d30e7", [], "token");
  }
}
export = main;
