import { protoJsonEncoder, type ServiceDefinition } from "@circulate/service";
import { itemMigrations } from "../migrations/index.js";
import type { ItemDatabase } from "./adapters/db.js";
import { itemsGrpcService } from "./adapters/grpc.js";
import { getItemInformationHandler } from "./get-item-information/get-item-information.handler.js";
import { holdEventsSubscription } from "./app/hold-events.js";
import { loanEventsSubscription } from "./app/loan-events.js";
import { updateItemStatusHandler } from "./update-item-status/update-item-status.handler.js";

/**
 * The item service: 17 and 19 from NATS, the Items gRPC API (GetItem,
 * GetItems, UpsertItems), and item states, loans and hold queues kept by
 * consuming loan and hold events (17 asks no other service).
 */
export function itemService(): ServiceDefinition<"item", ItemDatabase> {
  return {
    name: "item",
    migrations: itemMigrations,
    build: ({ db, logger, eventsCommitted, projections }) => ({
      // Stored events are already the proto JSON of their messages (toStoredEvent).
      encodeEvent: protoJsonEncoder,
      handlers: {
        getItemInformation: getItemInformationHandler({ db, projections, logger }),
        updateItemStatus: updateItemStatusHandler({ db, logger, eventsCommitted }),
      },
      grpc: [itemsGrpcService({ db, logger, eventsCommitted })],
      subscriptions: [loanEventsSubscription({ logger }), holdEventsSubscription({ logger })],
    }),
  };
}
