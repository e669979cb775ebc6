import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, common, isPastDeadline, refusedOutcome } from "@circulate/contracts";
import type { Logger } from "@circulate/runtime";
import { commandHandler, type PeerProjections, peerDeadline, refusalOf } from "@circulate/service";
import type { Kysely } from "kysely";
import type { ItemDatabase } from "../adapters/db.js";
import { readPeerFacts } from "../adapters/peer-facts.repository.js";
import { circulationStatusToProto, securityMarkerToProto } from "../domain/index.js";
import { itemInformation } from "./item-information.js";
import { holdFacts, holdQueueOf, loanFacts } from "./item-facts.js";
import { findItemRow, findItemRowById, itemFromRow } from "../adapters/items.repository.js";
import { itemSummary, unknownItemSummary } from "../app/item-views.js";

/**
 * 17 Item Information. A query: it changes nothing, so it is answered from the
 * projections every time and never recorded under its command id (the
 * pipeline's replay finds nothing; a repeat gets the answer as of now). The loan (due, recall) and the hold queue
 * (length, shelf, pickup date) come from this service's copies of the loan and
 * hold services' events, read once those copies hold everything the two
 * services had published when the request came (a 09 just answered is seen).
 */
export function getItemInformationHandler(deps: {
  db: Kysely<ItemDatabase>;
  projections: PeerProjections;
  logger: Logger;
}): CommandHandler<"getItemInformation"> {
  return commandHandler(deps, async (command, envelope) => {
    const ref = command.item;
    if (!ref?.barcode) return refusedOutcome(envelope, commands.RefusalReason.INVALID_REQUEST, "17 without an item barcode");
    const asked = { institution: ref.institutionId || envelope.institutionId, barcode: ref.barcode, ownOnly: ref.ownInstitutionOnly };
    const found = await findItemRow(deps.db, asked);
    if (!found) {
      return refusedOutcome(envelope, commands.RefusalReason.ITEM_NOT_FOUND, "no such item", { item: unknownItemSummary(asked) });
    }
    const asFound = itemSummary(found.item_id, itemFromRow(found));
    if (isPastDeadline(envelope)) return refusedOutcome(envelope, commands.RefusalReason.DEADLINE_EXCEEDED, "deadline passed", { item: asFound });

    try {
      await deps.projections.caughtUp(["loan", "hold"], peerDeadline(envelope));
    } catch (err) {
      // Refused as the pipeline refuses it, still naming the item (the gateway sends its AB and AJ).
      const refused = refusalOf(deps, envelope, err);
      if (!refused) throw err;
      return namingItem(refused, asFound);
    }

    // Read again after the barrier: the loan and hold events it waited for also move the item.
    const row = (await findItemRowById(deps.db, found.item_id)) ?? found;
    const item = itemFromRow(row);
    const stored = await readPeerFacts(deps.db, {
      itemId: row.item_id,
      barcode: item.id.barcode,
      queue: holdQueueOf(row.item_id, item),
    });
    const info = itemInformation(item, { loan: loanFacts(stored.loan), hold: holdFacts(stored) });
    const c = item.circulation;
    return acceptedOutcome(envelope, {
      $case: "getItemInformation",
      value: commands.GetItemInformationAccepted.fromPartial({
        item: itemSummary(row.item_id, item),
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
  });
}

function namingItem(outcome: commands.Outcome, item: common.ItemSummary): commands.Outcome {
  const result = outcome.result;
  return result?.$case === "refused" ? { ...outcome, result: { $case: "refused", value: { ...result.value, item } } } : outcome;
}
