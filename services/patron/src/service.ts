import { VerifiedSecretCache } from "@circulate/runtime";
import type { EventSubscription, ProjectionSpec, ServiceDefinition } from "@circulate/service";
import { patronMigrations } from "#migrations";
import type { PatronDatabase } from "./adapters/db.js";
import { encodePatronEvent } from "./adapters/stored-events.js";
import { patronsGrpcService } from "./adapters/grpc.js";
import { blockPatronHandler } from "./block-patron/block-patron.handler.js";
import type { PatronApp } from "./app/context.js";
import { enablePatronHandler } from "./enable-patron/enable-patron.handler.js";
import { endPatronSessionHandler } from "./end-patron-session/end-patron-session.handler.js";
import { projectFeeEvent } from "./app/fee-events.projection.js";
import { projectHoldEvent } from "./app/hold-events.projection.js";
import { projectLoanEvent } from "./app/loan-events.projection.js";
import { getPatronInformationHandler } from "./patron-information/patron-information.handler.js";
import { patronRefusalOf } from "./app/patron-command.js";
import { getPatronStatusHandler } from "./patron-status/patron-status.handler.js";
import { createScryptPinHasher } from "./app/pin-hasher.js";
import { DEFAULT_PATRON_SERVICE_OPTIONS, type PatronServiceOptions } from "./settings.js";

/** The copies `rebuild-projections` may empty: each consumer's tables and its rows of the shared positions. */
export const PATRON_PROJECTIONS: readonly ProjectionSpec[] = [
  { consumer: "patron-from-loan", from: "loan", tables: ["patron_loans"], rows: [{ table: "patron_peer_streams", column: "service", value: "loan" }] },
  {
    consumer: "patron-from-fee",
    from: "fee",
    tables: ["patron_fee_accounts", "patron_fee_charges"],
    rows: [{ table: "patron_peer_streams", column: "service", value: "fee" }],
  },
  { consumer: "patron-from-hold", from: "hold", tables: ["patron_holds"], rows: [{ table: "patron_peer_streams", column: "service", value: "hold" }] },
];

/**
 * The loan, fee and hold events this service keeps what it needs of (open
 * loans, balances and charges, holds), each applied in the consumer's
 * transaction, so it decides without asking those services.
 */
const subscriptions: EventSubscription<PatronDatabase>[] = [
  { from: "loan", name: PATRON_PROJECTIONS[0]!.consumer, idempotent: true, handle: (event, envelope, trx) => projectLoanEvent(trx, event, envelope) },
  { from: "fee", name: PATRON_PROJECTIONS[1]!.consumer, idempotent: true, handle: (event, envelope, trx) => projectFeeEvent(trx, event, envelope) },
  { from: "hold", name: PATRON_PROJECTIONS[2]!.consumer, idempotent: true, handle: (event, envelope, trx) => projectHoldEvent(trx, event, envelope) },
];

/**
 * The patron service for `startService`: commands 23, 63, 01, 25, 35 from
 * NATS; `Patrons` over gRPC; events relayed as library.patron.v1 messages;
 * loan, fee and hold events consumed into its own projections.
 */
export function patronService(overrides: Partial<PatronServiceOptions> = {}): ServiceDefinition<"patron", PatronDatabase> {
  const options = { ...DEFAULT_PATRON_SERVICE_OPTIONS, ...overrides };
  return {
    name: "patron",
    migrations: patronMigrations,
    projections: PATRON_PROJECTIONS,
    build: ({ db, logger, eventsCommitted, projections }) => {
      const app: PatronApp = {
        db,
        projections,
        hasher: createScryptPinHasher({ N: options.scryptN }),
        pinCache: new VerifiedSecretCache({ ttlMs: options.pinCacheTtlMs }),
        options,
        logger,
        refusalOf: patronRefusalOf,
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
        subscriptions,
      };
    },
  };
}
