import { common } from "@circulate/contracts";
import type { ItemFacts } from "../domain/facts.js";
import type { Routing, Trap } from "../domain/hold-facts.js";
import type { CheckinAlert } from "./checkin.decider.js";

/** How the kiosk alerts on a returned copy (SIP2 alert, alert type, CT) and where the copy goes. */
export interface Alerting {
  readonly alert: boolean;
  readonly alertType: common.AlertType;
  readonly destination: string;
  readonly routing: Routing | null;
}

/** What the kiosk or sorter does with the copy: a hold first, then going home, then anything odd. */
export function alerting(trap: Trap | null, alerts: readonly CheckinAlert[], item: ItemFacts): Alerting {
  if (trap) {
    const alertType = trap.inTransit ? common.AlertType.REMOTE_HOLD : common.AlertType.LOCAL_HOLD;
    const destination = trap.pickupLocation;
    return { alert: true, alertType, destination, routing: { holdId: trap.holdId, destination, inTransit: trap.inTransit } };
  }
  if (alerts.includes("returned_to_other_institution")) {
    const destination = item.found ? item.permanentLocation || item.owningInstitutionId : "";
    return { alert: true, alertType: common.AlertType.TRANSIT, destination, routing: { holdId: "", destination, inTransit: true } };
  }
  if (alerts.length > 0) return { alert: true, alertType: common.AlertType.OTHER, destination: "", routing: null };
  return { alert: false, alertType: common.AlertType.UNSPECIFIED, destination: "", routing: null };
}
