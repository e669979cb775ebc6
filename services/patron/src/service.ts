import type { ServiceDefinition } from "@circulate/service";
import { patronMigrations } from "#migrations";
import type { PatronDatabase } from "./adapters/db.js";
import { encodePatronEvent } from "./adapters/events.codec.js";
import { patronsGrpcService } from "./adapters/grpc.js";
import { createPeers } from "./adapters/peers.js";
import { blockPatronHandler } from "./app/block-patron.handler.js";
import type { PatronApp } from "./app/context.js";
import { enablePatronHandler } from "./app/enable-patron.handler.js";
import { endPatronSessionHandler } from "./app/end-session.handler.js";
import { VerifiedSecretCache } from "@circulate/runtime";
import { createScryptPinHasher } from "./app/pin-hasher.js";
import { getPatronInformationHandler } from "./app/patron-information.handler.js";
import { getPatronStatusHandler } from "./app/patron-status.handler.js";
import { DEFAULT_PATRON_SERVICE_OPTIONS, type PatronServiceOptions } from "./config.js";

/**
 * The patron service for `startService`: commands 23, 63, 01, 25, 35 from
 * NATS; `Patrons` over gRPC; events relayed as library.patron.v1 messages.
 */
export function patronService(overrides: Partial<PatronServiceOptions> = {}): ServiceDefinition<"patron", PatronDatabase> {
  const options = { ...DEFAULT_PATRON_SERVICE_OPTIONS, ...overrides };
  return {
    name: "patron",
    migrations: patronMigrations,
    build: ({ config, db, logger, eventsCommitted }) => {
      const peers = createPeers(config.peers);
      const app: PatronApp = {
        db,
        peers,
        hasher: createScryptPinHasher({ N: options.scryptN }),
        pinCache: new VerifiedSecretCache({ ttlMs: options.pinCacheTtlMs }),
        options,
        logger,
        eventsCommitted,
      };
      return {
        handlers: {
          getPatronStatus: getPatronStatusHandler(app),
          getPatronInformation: getPatronInformationHandler(app),
          blockPatron: blockPatronHandler(app),
          enablePatron: enablePatronHandler(app),
          endPatronSession: endPatronSessionHandler,
        },
        grpc: [patronsGrpcService(app)],
        encodeEvent: encodePatronEvent,
        close: async () => peers.close(),
      };
    },
  };
}
