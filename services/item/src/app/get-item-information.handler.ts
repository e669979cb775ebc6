import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, common, deadlineRemainingMs, refusedOutcome } from "@circulate/contracts";
import type { Logger } from "@circulate/runtime";
import type { Kysely } from "kysely";
import type { ItemDatabase } from "../adapters/db.js";
import { type ItemPeers, PeerUnavailableError } from "../adapters/peers.js";
import { circulationStatusToProto, securityMarkerToProto } from "../adapters/proto-codes.js";
import { itemInformation } from "../domain/index.js";
import { findItemRow, itemFromRow } from "./item-store.js";
import { itemSummary, unknownItemSummary } from "./item-views.js";
import { holdFacts, loanFacts } from "./item-facts.js";

/**
 * 17 Item Information. A query: it changes nothing, so it is answered from the
 * projection and the owners' facts every time instead of being recorded under
 * its command id (a repeat gets the answer as of now). The loan (due, recall)
 * and the hold queue (length, shelf, pickup date) are asked in parallel, and
 * only for a known item.
 */
export function getItemInformationHandler(deps: {
  db: Kysely<ItemDatabase>;
  peers: ItemPeers;
  logger: Logger;
}): CommandHandler<"getItemInformation"> {
  return async (command, envelope) => {
    const ref = command.item;
    if (!ref?.barcode) return refusedOutcome(envelope, commands.RefusalReason.INVALID_REQUEST, "17 without an item barcode");
    const asked = { institution: ref.institutionId || envelope.institutionId, barcode: ref.barcode, ownOnly: ref.ownInstitutionOnly };
    const row = await findItemRow(deps.db, asked);
    if (!row) {
      return refusedOutcome(envelope, commands.RefusalReason.ITEM_NOT_FOUND, "no such item", { item: unknownItemSummary(asked) });
    }
    const item = itemFromRow(row);
    const summary = itemSummary(row.item_id, item);
    const budget = deadlineRemainingMs(envelope);
    if (budget <= 0) return refusedOutcome(envelope, commands.RefusalReason.DEADLINE_EXCEEDED, "deadline passed", { item: summary });

    let facts: Parameters<typeof itemInformation>[1];
    try {
      const [currentLoan, queue] = await Promise.all([
        deps.peers.getLoan(item.id, budget),
        deps.peers.getQueue(item.id, item.record.titleId, budget),
      ]);
      facts = { loan: loanFacts(currentLoan), hold: holdFacts(queue, item.id) };
    } catch (err) {
      if (!(err instanceof PeerUnavailableError)) throw err;
      deps.logger.warn({ err, commandId: envelope.commandId }, "17: a peer did not answer");
      return refusedOutcome(envelope, commands.RefusalReason.BACKEND_UNAVAILABLE, err.message, { item: summary });
    }

    const info = itemInformation(item, facts);
    const c = item.circulation;
    return acceptedOutcome(envelope, {
      $case: "getItemInformation",
      value: commands.GetItemInformationAccepted.fromPartial({
        item: summary,
        circulationStatus: circulationStatusToProto(info.circulationStatus),
        securityMarker: securityMarkerToProto(info.securityMarker),
        // No fee facts are asked for (the fee service has no per-item rental fee query): none.
        feeType: common.FeeType.UNSPECIFIED,
        holdQueueLength: info.holdQueueLength ?? 0,
        dueAt: info.dueDate,
        recallAt: info.recallDate,
        holdPickupBy: info.holdPickupDate,
        destinationLocation: c.state === "in_transit" ? c.destination.location : "",
      }),
    });
  };
}
