import { item as itemPb } from "@circulate/contracts";
import type { Logger } from "@circulate/runtime";
import type { GrpcService } from "@circulate/service";
import * as grpc from "@grpc/grpc-js";
import type { Kysely } from "kysely";
import { findItemRow, findItemRowById, findItemRows, itemFromRow } from "../app/item-store.js";
import { itemMessage } from "../app/item-views.js";
import { ImportRefusedError, InvalidImportError, upsertItems } from "../app/upsert-items.js";
import type { ItemDatabase, ItemRow } from "./db.js";

/** More keys than this in one GetItems/UpsertItems is refused: split the batch. */
export const MAX_BATCH = 1_000;

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

class InvalidArgument extends Error {}

const toItem = (row: ItemRow) => itemMessage(row.item_id, itemFromRow(row));

/**
 * Wraps an async implementation: typed errors become their gRPC status, with
 * a message fit for an operator; anything else is INTERNAL and logged (the
 * caller gets no internal text).
 */
function unary<Req, Res>(logger: Logger, name: string, run: (req: Req) => Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    run(call.request).then(
      (res) => callback(null, res),
      (err: unknown) => {
        if (err instanceof InvalidArgument || err instanceof InvalidImportError) {
          return callback({ code: grpc.status.INVALID_ARGUMENT, details: err.message });
        }
        if (err instanceof ImportRefusedError) return callback({ code: grpc.status.FAILED_PRECONDITION, details: err.message });
        logger.error({ err, rpc: name }, "item rpc failed");
        callback({ code: grpc.status.INTERNAL, details: `${name} failed; see the item service log` });
      },
    );
  };
}

/** The `library.item.v1.Items` service: queries for peers and the admin import. */
export function itemsGrpcService(deps: { db: Kysely<ItemDatabase>; logger: Logger; eventsCommitted: () => void }): GrpcService {
  const { db, logger } = deps;
  const implementation: itemPb.ItemsServer = {
    getItem: unary(logger, "GetItem", async (req: itemPb.GetItemRequest) => {
      const key = req.key;
      let row: ItemRow | undefined;
      if (key?.$case === "item" && key.value.barcode) {
        row = await findItemRow(db, { institution: key.value.institutionId, barcode: key.value.barcode, ownOnly: key.value.ownInstitutionOnly });
      } else if (key?.$case === "itemId" && key.value) {
        row = await findItemRowById(db, key.value);
      } else {
        throw new InvalidArgument("GetItem needs item (institution_id + barcode) or item_id");
      }
      return { item: row ? toItem(row) : undefined };
    }),

    getItems: unary(logger, "GetItems", async (req: itemPb.GetItemsRequest) => {
      if (req.items.length + req.itemIds.length > MAX_BATCH) throw new InvalidArgument(`GetItems takes at most ${MAX_BATCH} keys`);
      const rows = await findItemRows(
        db,
        req.items.map((r) => ({ institution: r.institutionId, barcode: r.barcode, ownOnly: r.ownInstitutionOnly })),
        req.itemIds,
      );
      return { items: rows.map(toItem) };
    }),

    upsertItems: unary(logger, "UpsertItems", async (req: itemPb.UpsertItemsRequest) => {
      if (req.items.length > MAX_BATCH) throw new InvalidArgument(`UpsertItems takes at most ${MAX_BATCH} items`);
      const counts = await upsertItems(db, req.items);
      if (counts.appended > 0) deps.eventsCommitted();
      return { created: counts.created, updated: counts.updated };
    }),
  };
  return { definition: itemPb.ItemsService, implementation };
}
