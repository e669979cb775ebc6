import { uuidv7 } from "@circulate/contracts";
import { loanMigrations } from "@circulate/loan/migrations";
import { protoJsonEncoder, type ServiceDefinition } from "@circulate/service";
import type { LoanDatabase } from "./adapters/db.js";
import { loansGrpcService } from "./adapters/grpc.js";
import { grpcPeers } from "./adapters/peers.js";
import { checkInItemHandler } from "./checkin/checkin.handler.js";
import { checkOutItemHandler } from "./checkout/checkout.handler.js";
import { LOAN_PROJECTIONS, peerFactsSubscriptions } from "./app/peer-facts.projection.js";
import type { LoanDeps } from "./app/command.js";
import { renewAllHandler } from "./renew-all/renew-all.handler.js";
import { renewItemHandler } from "./renew/renew.handler.js";
import { DEFAULT_LOAN_SETTINGS } from "./settings.js";

export interface LoanServiceOptions {
  /** Zone of an institution nobody configured (`loanSettings`: LOAN_DEFAULT_TIME_ZONE). Default "UTC". */
  defaultTimeZone?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * The loan service as the host runs it: 11/09/29/65 from the NATS command
 * queue, the Loans gRPC API, its events published as they are stored (the
 * proto3 JSON of their `library.loan.v1` messages).
 * It keeps copies of the item and hold services' facts from their events and
 * asks the patron service only for the standing and the PIN check.
 */
export function loanService(options: LoanServiceOptions = {}): ServiceDefinition<"loan", LoanDatabase> {
  return {
    name: "loan",
    migrations: loanMigrations,
    projections: LOAN_PROJECTIONS,
    build: ({ config, db, logger, eventsCommitted, projections, peerCredentials }) => {
      const peers = grpcPeers(config.peers, peerCredentials);
      const deps: LoanDeps = {
        db,
        peers,
        projections,
        logger,
        defaultTimeZone: options.defaultTimeZone ?? DEFAULT_LOAN_SETTINGS.defaultTimeZone,
        now: options.now ?? (() => new Date()),
        newId: () => uuidv7(),
        eventsCommitted,
      };
      return {
        handlers: {
          checkOutItem: checkOutItemHandler(deps),
          checkInItem: checkInItemHandler(deps),
          renewItem: renewItemHandler(deps),
          renewAll: renewAllHandler(deps),
        },
        grpc: [loansGrpcService(deps)],
        encodeEvent: protoJsonEncoder,
        subscriptions: peerFactsSubscriptions(),
        close: async () => peers.close(),
      };
    },
  };
}
