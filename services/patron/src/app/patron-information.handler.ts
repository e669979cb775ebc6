import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands } from "@circulate/contracts";
import { decideVerifyPatron, expiryInstant } from "../domain/index.js";
import type { PatronApp } from "./context.js";
import { standingFacts } from "./facts.js";
import { guarded, runPatronCommand } from "./patron-command.js";
import { patronList, sliceList } from "./patron-lists.js";
import { patronQueryPreamble } from "./patron-status.handler.js";
import { limitsMessage, standingMessage } from "./patron.view.js";

/**
 * 63 Patron Information: the 23 answer, plus counts of every list, the
 * limits, contact data, and the one list asked for (charged/overdue/recall
 * from the loan service, fine items from the fee service, available and
 * unavailable holds from the hold service), sliced by start/end item.
 */
export function getPatronInformationHandler(app: PatronApp): CommandHandler<"getPatronInformation"> {
  return (command, env) =>
    guarded(app, env, async () => {
      const pre = await patronQueryPreamble(app, env, command.patron, command.pin !== undefined);
      if (pre.done) return pre.done;
      return runPatronCommand(app, env, pre.row, {
        pin: command.pin,
        usage: "required",
        withHolds: true,
        decide: ({ state, policy, usage, pin, now }) => {
          const d = decideVerifyPatron(
            { type: "VerifyPatron", patron: state.id, pinMatches: pin.pinMatches },
            state,
            { ...standingFacts(policy, usage), pinPolicy: policy.pinPolicy },
            now,
          );
          if (d.outcome !== "accepted" || !usage) throw new Error("verification is always accepted; usage is required");
          const { standing: s, pin: p, pinLocked } = d.data;
          const standing = standingMessage({ ref: pre.ref, patron: state, standing: s, pin: p, pinLocked, usage });
          const list = patronList(command.summary, usage, now);
          const limits = limitsMessage(policy);
          const r = state.record;
          const value = commands.GetPatronInformationAccepted.create({
            standing,
            holdItemsCount: usage.holds?.availableCount ?? 0,
            overdueItemsCount: usage.loans.overdueCount,
            chargedItemsCount: usage.loans.loans.length,
            fineItemsCount: usage.account.charges.length,
            recallItemsCount: usage.loans.recalledCount,
            unavailableHoldsCount: usage.holds?.unavailableCount ?? 0,
            holdItemsLimit: limits.maxHolds,
            overdueItemsLimit: limits.maxOverdue,
            chargedItemsLimit: limits.maxLoans,
            feeLimit: limits.feeLimit,
            summary: command.summary,
            entries: sliceList(list, command.startItem, command.endItem, app.options.maxListEntries),
            totalEntries: list.length,
            email: r.email ?? "",
            phone: r.phone ?? "",
            homeAddress: r.address ?? "",
            expiresAt: r.expiryDate === null ? undefined : expiryInstant(r.expiryDate, policy.timeZone),
            birthDate: r.birthDate ?? "",
            patronType: r.patronType,
            homeLocation: r.homeInstitution,
          });
          return { events: d.events, outcome: acceptedOutcome(env, { $case: "getPatronInformation", value }, now) };
        },
      });
    });
}
