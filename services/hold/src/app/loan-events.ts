import type { AnyEvent, events } from "@circulate/contracts";
import type { EventSubscription } from "@circulate/service";
import type { HoldDb, HoldTransaction } from "../adapters/db.js";
import { fulfilOnCheckout } from "../fulfil-hold/fulfil-hold.handler.js";
import { trapFromCheckin } from "../trap-on-checkin/trap-on-checkin.handler.js";
import type { HoldDeps } from "./command.support.js";

/**
 * What the loan service's checkouts and checkins do to the queues: a checkout
 * fulfils (or releases) holds, a checkin applies the trap it decided. One
 * consumer for both keeps them in the loan stream's order (a copy trapped at a
 * checkin, then lent to its hold patron). Not a projection: never rebuilt.
 */
export function holdFromLoanSubscription(deps: HoldDeps): EventSubscription<HoldDb> {
  const fulfil = fulfilOnCheckout(deps);
  const trap = trapFromCheckin(deps);
  return {
    from: "loan",
    name: "hold-from-loan",
    types: ["ItemCheckedOut", "ItemCheckedIn"],
    handle: async (event: AnyEvent, envelope: events.EventEnvelope, trx: HoldTransaction) => {
      if (event.type === "ItemCheckedOut") return fulfil(event, envelope, trx);
      if (event.type === "ItemCheckedIn") return trap(event.event, envelope, trx);
    },
  };
}
