import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, refusedOutcome } from "@circulate/contracts";
import { commandHandler } from "@circulate/service";
import { decideQueueCommand, type HoldDeps, Reason } from "../app/command.support.js";
import { locateExistingHold } from "../app/existing-hold.js";
import { decideCancelHold } from "./cancel-hold.decider.js";

/**
 * 15 `-`. A copy trapped for the cancelled hold is named in HoldCancelled
 * (`released_item`); checking it in again traps it for the next hold.
 */
export function cancelHoldHandler(deps: HoldDeps): CommandHandler<"cancelHold"> {
  return commandHandler(deps, async (cmd, env) => {
    const located = await locateExistingHold(deps, cmd, env);
    if (!located.found) return located.outcome;
    const { key } = located;
    const now = deps.now();
    return decideQueueCommand(deps, env, key, (state) => {
      const d = decideCancelHold({ patronKey: located.patronKey, institution: key.institution, titleKey: key.titleId, holdId: null }, state.queue);
      if (d.outcome === "refused")
        return { events: [], outcome: refusedOutcome(env, Reason.HOLD_NOT_FOUND, d.detail ?? d.reason, { patron: located.verified.standing }) };
      const view = state.views.get(d.data.holdId);
      const events = d.events.map((e) => ({ ...e, data: { ...e.data, reason: "patron", terminalAccount: env.terminal?.account ?? "" } }));
      const outcome = acceptedOutcome(
        env,
        {
          $case: "cancelHold",
          value: commands.HoldAccepted.fromPartial({
            holdId: d.data.holdId,
            available: false,
            // The contract: 0 = not queued (cancelled).
            queuePosition: 0,
            expiresAt: view?.expiresAt,
            pickupLocation: view?.pickupLocation ?? "",
            item: located.item ?? view?.item,
            titleIdentifier: key.titleId,
            title: view?.title ?? "",
          }),
        },
        now,
      );
      return { events, outcome, at: now };
    });
  });
}
