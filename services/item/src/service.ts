import { protoJsonEncoder, type ServiceDefinition } from "@circulate/service";
import { itemMigrations } from "../migrations/index.js";
import type { ItemDatabase } from "./adapters/db.js";
import { itemsGrpcService } from "./adapters/grpc.js";
import { connectPeers, type ItemPeers } from "./adapters/peers.js";
import { getItemInformationHandler } from "./app/get-item-information.handler.js";
import { holdEventsSubscription } from "./app/hold-events.js";
import { loanEventsSubscription } from "./app/loan-events.js";
import { updateItemStatusHandler } from "./app/update-item-status.handler.js";

/**
 * The item service: 17 and 19 from NATS, the Items gRPC API (GetItem,
 * GetItems, UpsertItems), and item states kept by consuming loan and hold
 * events. `peers` replaces the loan/hold gRPC clients (tests).
 */
export function itemService(options: { peers?: ItemPeers } = {}): ServiceDefinition<"item", ItemDatabase> {
  return {
    name: "item",
    migrations: itemMigrations,
    build: ({ config, db, logger, eventsCommitted }) => {
      const peers = options.peers ?? connectPeers(config.peers);
      return {
        // Stored events are already in the proto JSON shape (adapters/events.codec.ts).
        encodeEvent: protoJsonEncoder,
        handlers: {
          getItemInformation: getItemInformationHandler({ db, peers, logger }),
          updateItemStatus: updateItemStatusHandler({ db, eventsCommitted }),
        },
        grpc: [itemsGrpcService({ db, logger, eventsCommitted })],
        subscriptions: [loanEventsSubscription({ logger }), holdEventsSubscription({ logger })],
        close: async () => peers.close(),
      };
    },
  };
}
