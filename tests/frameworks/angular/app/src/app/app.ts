import { Component, signal } from "@angular/core";
import { assign, GraphError, LoadError, ValidationError } from "intune-esim";

@Component({
  selector: "app-root",
  template: `
    <form (submit)="$event.preventDefault(); assignAllDevices(baseUrl.value, poolId.value, token.value)">
      <label>Graph <input #baseUrl value="https://graph.microsoft.com/beta" /></label>
      <label>Pool id <input #poolId /></label>
      <label>Access token <input #token type="password" autocomplete="off" /></label>
      <button>Assign to all devices</button>
    </form>
    <output>{{ result() }}</output>
  `,
})
export class App {
  protected readonly result = signal("");

  // The token comes from the form here; a portal gets it from MSAL (see "In a portal, with MSAL").
  protected async assignAllDevices(baseUrl: string, poolId: string, token: string) {
    try {
      const assignments = await assign(poolId, [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }], token, { baseUrl });
      this.result.set(`Assigned: ${assignments.map((a) => a.target["@odata.type"]).join(", ")}`);
    } catch (e) {
      if (e instanceof ValidationError) this.result.set(`ValidationError: ${e.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
      else if (e instanceof GraphError) this.result.set(`GraphError ${e.status}: ${e.message}`);
      else if (e instanceof LoadError) this.result.set(`LoadError: ${e.message}`);
      else throw e;
    }
  }
}
