import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, refusedOutcome } from "@circulate/contracts";
import { handleCommand } from "@circulate/eventstore";
import type { Logger } from "@circulate/runtime";
import { commandHandler, inCommitSpan, storedOutcome } from "@circulate/service";
import type { Kysely } from "kysely";
import type { ItemDatabase } from "../adapters/db.js";
import { evolveItem, type ItemEvent, itemStreamId } from "../domain/index.js";
import { decideUpdateItemStatus } from "./update-item-status.decider.js";
import { findItemRow } from "../adapters/items.repository.js";
import { evolveStoredItem, initialStoredItem, type LoadedItem, projectItem, storedItemEvents } from "../app/item-store.js";
import { itemSummary, unknownItemSummary } from "../app/item-views.js";

/**
 * 19 Item Status Update: stores the terminal's item properties (CH) as
 * ItemStatusUpdated, exactly once per command id (a redelivery replays the
 * recorded outcome), never after the command's deadline (the pipeline refuses
 * it DEADLINE_EXCEEDED, nothing stored).
 */
export function updateItemStatusHandler(deps: {
  db: Kysely<ItemDatabase>;
  logger: Logger;
  eventsCommitted: () => void;
}): CommandHandler<"updateItemStatus"> {
  return commandHandler(deps, async (command, envelope) => {
    const ref = command.item;
    if (!ref?.barcode) return refusedOutcome(envelope, commands.RefusalReason.INVALID_REQUEST, "19 without an item barcode");
    const asked = { institution: ref.institutionId || envelope.institutionId, barcode: ref.barcode, ownOnly: ref.ownInstitutionOnly };
    // The projection resolves a consortium member's barcode; an unknown one still gets its refusal recorded.
    const row = await findItemRow(deps.db, asked);
    const streamId = row?.stream_id ?? itemStreamId(asked);
    let decidedOn: LoadedItem | undefined;
    const result = await inCommitSpan(() =>
      handleCommand(deps.db, {
        commandId: envelope.commandId,
        deadline: envelope.deadline,
        streamId,
        initialState: initialStoredItem,
        evolve: evolveStoredItem,
        metadata: { institution: envelope.institutionId, correlationId: envelope.correlationId, causationId: envelope.commandId },
        decide: (stored, { version }) => {
          decidedOn = { streamId, version, stored };
          const decision = decideUpdateItemStatus(
            { type: "UpdateItemStatus", item: asked, properties: command.itemProperties },
            stored.item,
          );
          if (decision.outcome === "refused" || stored.itemId === null) {
            const refused = refusedOutcome(envelope, commands.RefusalReason.ITEM_NOT_FOUND, "no such item", {
              item: unknownItemSummary(asked),
            });
            return { events: [], outcome: commands.Outcome.toJSON(refused) };
          }
          const after = decision.events.reduce(evolveItem, stored.item);
          const accepted = acceptedOutcome(envelope, {
            $case: "updateItemStatus",
            value: { item: after.status === "registered" ? itemSummary(stored.itemId, after) : undefined },
          });
          const terminalAccount = envelope.terminal?.account ?? "";
          return {
            events: storedItemEvents(decision.events.map(fromTerminal(terminalAccount)), stored, stored.itemId),
            outcome: commands.Outcome.toJSON(accepted),
          };
        },
        projections: [(trx, recorded) => projectItem(trx, decidedOn!, recorded)],
      }),
    );
    if (result.events.length > 0) deps.eventsCommitted();
    return storedOutcome(result.outcome, result.replayed);
  });
}

/** Who sent a 19 is the envelope's terminal account, which the decider does not see. */
export const fromTerminal =
  (terminalAccount: string) =>
  (event: ItemEvent): ItemEvent =>
    event.type === "ItemStatusUpdated" ? { ...event, data: { ...event.data, terminalAccount } } : event;
