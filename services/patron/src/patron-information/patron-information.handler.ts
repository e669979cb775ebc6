import type { CommandHandler } from "@circulate/commandbus";
import { commands } from "@circulate/contracts";
import { expiryInstant, hasInternetPrivileges } from "../domain/index.js";
import type { PatronApp } from "../app/context.js";
import { patronList, sliceList } from "./patron-lists.js";
import { patronQueryHandler } from "../verify-patron/patron-query.js";
import { limitsMessage } from "../app/patron.view.js";

/**
 * 63 Patron Information: the 23 answer, plus counts of every list, the
 * limits, contact data, and the one list asked for (charged/overdue/recall
 * from the loan service, fine items from the fee service, available and
 * unavailable holds from the hold service), sliced by start/end item.
 */
export function getPatronInformationHandler(app: PatronApp): CommandHandler<"getPatronInformation"> {
  return patronQueryHandler(app, true, (command, { state, policy, usage, now, standing, causes }) => {
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
      patronTypeDescription: policy.patronTypeDescription ?? "",
      internetPrivileges: hasInternetPrivileges(causes),
      homeLocation: r.homeInstitution,
    });
    return { $case: "getPatronInformation", value };
  });
}
