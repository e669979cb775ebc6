import { item as itemPb } from "@circulate/contracts";
import type { Logger } from "@circulate/runtime";
import { type ExtraStatus, type GrpcService, InvalidArgumentError, unaryRpc } from "@circulate/service";
import * as grpc from "@grpc/grpc-js";
import type { Kysely } from "kysely";
import { findItemRow, findItemRowById, findItemRows, itemFromRow } from "./items.repository.js";
import { itemMessage } from "../app/item-views.js";
import { setItemStatus, StaffChangeRefusedError } from "../set-item-status/set-item-status.handler.js";
import { ImportRefusedError, upsertItems } from "../upsert-items/upsert-items.handler.js";
import type { ItemDatabase, ItemRow } from "./db.js";

/** More keys than this in one GetItems/UpsertItems is refused: split the batch. */
export const MAX_BATCH = 1_000;

const toItem = (row: ItemRow) => itemMessage(row.item_id, itemFromRow(row));

/** The item service's own errors as statuses: an import or a staff change the transition rules refuse (the shared ones are `unaryRpc`'s). */
const itemStatusOf: ExtraStatus = (err) => {
  if (err instanceof ImportRefusedError) return { code: grpc.status.FAILED_PRECONDITION, details: err.message };
  if (err instanceof StaffChangeRefusedError)
    return { code: err.kind === "not_found" ? grpc.status.NOT_FOUND : grpc.status.FAILED_PRECONDITION, details: err.message };
  return undefined;
};

/** The `library.item.v1.Items` service: queries for peers, the admin import and staff changes. */
export function itemsGrpcService(deps: { db: Kysely<ItemDatabase>; logger: Logger; eventsCommitted: () => void }): GrpcService {
  const { db, logger } = deps;
  const unary = <Req, Res>(rpc: string, run: (req: Req) => Promise<Res>) => unaryRpc(logger, rpc, run, itemStatusOf);
  const implementation: itemPb.ItemsServer = {
    getItem: unary("GetItem", async (req: itemPb.GetItemRequest) => {
      const key = req.key;
      let row: ItemRow | undefined;
      if (key?.$case === "item" && key.value.barcode) {
        row = await findItemRow(db, { institution: key.value.institutionId, barcode: key.value.barcode, ownOnly: key.value.ownInstitutionOnly });
      } else if (key?.$case === "itemId" && key.value) {
        row = await findItemRowById(db, key.value);
      } else {
        throw new InvalidArgumentError(["GetItem needs item (institution_id + barcode) or item_id"]);
      }
      return { item: row ? toItem(row) : undefined };
    }),

    getItems: unary("GetItems", async (req: itemPb.GetItemsRequest) => {
      if (req.items.length + req.itemIds.length > MAX_BATCH) throw new InvalidArgumentError([`GetItems takes at most ${MAX_BATCH} keys`]);
      const rows = await findItemRows(
        db,
        req.items.map((r) => ({ institution: r.institutionId, barcode: r.barcode, ownOnly: r.ownInstitutionOnly })),
        req.itemIds,
      );
      return { items: rows.map(toItem) };
    }),

    upsertItems: unary("UpsertItems", async (req: itemPb.UpsertItemsRequest) => {
      if (req.items.length > MAX_BATCH) throw new InvalidArgumentError([`UpsertItems takes at most ${MAX_BATCH} items`]);
      const counts = await upsertItems(db, req.items);
      if (counts.appended > 0) deps.eventsCommitted();
      return { created: counts.created, updated: counts.updated };
    }),

    setItemStatus: unary("SetItemStatus", (req: itemPb.SetItemStatusRequest) => setItemStatus(deps, req)),
  };
  return { definition: itemPb.ItemsService, implementation };
}
