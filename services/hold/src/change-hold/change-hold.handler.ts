import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, refusedOutcome } from "@circulate/contracts";
import { commandHandler } from "@circulate/service";
import { dateOf, instantOf } from "../domain/index.js";
import { decideQueueCommand, type HoldDeps, Reason } from "../app/command.support.js";
import { locateExistingHold } from "../app/existing-hold.js";
import { type ChangeHoldRefusal, decideChangeHold } from "./change-hold.decider.js";

const CHANGE_REFUSAL: Record<ChangeHoldRefusal, commands.RefusalReason> = {
  hold_not_found: Reason.HOLD_NOT_FOUND,
  pickup_location_invalid: Reason.PICKUP_LOCATION_INVALID,
  // The copy is already on its way to (or on the shelf of) the old pickup location.
  hold_already_trapped: Reason.HOLD_NOT_ALLOWED,
  dates_invalid: Reason.INVALID_REQUEST,
  expiry_in_past: Reason.INVALID_REQUEST,
};

/**
 * 15 `*`: pickup location and/or expiry; empty fields stay as they are. The
 * hold type is not changed: gateways default a missing `BY` to 2, so a `*`
 * for a copy-specific hold would otherwise silently widen it (see README).
 */
export function changeHoldHandler(deps: HoldDeps): CommandHandler<"changeHold"> {
  return commandHandler(deps, async (cmd, env) => {
    const located = await locateExistingHold(deps, cmd, env);
    if (!located.found) return located.outcome;
    const { key } = located;
    const now = deps.now();
    return decideQueueCommand(deps, env, key, (state) => {
      const d = decideChangeHold(
        {
          patronKey: located.patronKey,
          institution: key.institution,
          titleKey: key.titleId,
          holdId: null,
          pickupLocation: cmd.pickupLocation.trim() || null,
          expiresAt: instantOf(cmd.expiresAt),
        },
        state.queue,
        { pickupLocations: deps.settings.pickupLocations },
        now.toISOString(),
      );
      if (d.outcome === "refused")
        return { events: [], outcome: refusedOutcome(env, CHANGE_REFUSAL[d.reason], d.detail ?? d.reason, { patron: located.verified.standing }) };
      const reply = d.data;
      const view = state.views.get(reply.holdId);
      const outcome = acceptedOutcome(
        env,
        {
          $case: "changeHold",
          value: commands.HoldAccepted.fromPartial({
            holdId: reply.holdId,
            available: reply.available,
            queuePosition: reply.queuePosition,
            expiresAt: dateOf(reply.expiresAt),
            pickupLocation: reply.pickupLocation,
            item: reply.itemBarcode ? { institutionId: key.institution, barcode: reply.itemBarcode } : located.item,
            titleIdentifier: key.titleId,
            title: view?.title ?? "",
          }),
        },
        now,
      );
      return { events: d.events, outcome, at: now };
    });
  });
}
