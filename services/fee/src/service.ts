import { protoJsonEncoder, type ServiceDefinition } from "@circulate/service";
import { feeMigrations } from "../migrations/index.js";
import type { FeeDatabase } from "./adapters/db.js";
import { feesGrpcService } from "./adapters/grpc.js";
import { type PatronFacts, patronFacts } from "./adapters/peers.js";
import type { FeeDeps } from "./app/deps.js";
import { onLoanEvent } from "./app/loan-events.subscription.js";
import { payFeeHandler } from "./pay-fee/pay-fee.handler.js";
import { DEFAULT_FEE_SETTINGS, type FeeSettings } from "./settings.js";

export interface FeeServiceOptions {
  settings?: FeeSettings;
  /** The patron service's answers; default a gRPC client of `config.peers.patron`. */
  patrons?: PatronFacts;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * The fee service: 37 on NATS, `Fees` on gRPC, the loan events that cost money
 * (ItemCheckedIn → overdue fine, ItemCheckedOut with a fee → rental) from JetStream.
 */
export function feeService(options: FeeServiceOptions = {}): ServiceDefinition<"fee", FeeDatabase> {
  const settings = options.settings ?? DEFAULT_FEE_SETTINGS;
  return {
    name: "fee",
    migrations: feeMigrations,
    build: (ctx) => {
      const patrons = options.patrons ?? patronFacts(ctx.config.peers.patron, ctx.peerCredentials);
      const deps: FeeDeps = {
        db: ctx.db,
        patrons,
        defaults: { timeZone: settings.defaultTimeZone, currency: settings.defaultCurrency },
        logger: ctx.logger,
        eventsCommitted: ctx.eventsCommitted,
        now: options.now ?? (() => new Date()),
      };
      if (settings.defaultTimeZone === "UTC")
        ctx.logger.info("FEE_DEFAULT_TIME_ZONE not set: days late count in UTC for institutions not loaded with UpsertInstitutions");
      return {
        handlers: { payFee: payFeeHandler(deps) },
        grpc: [feesGrpcService(deps)],
        encodeEvent: protoJsonEncoder,
        subscriptions: [{ from: "loan", name: "fee-from-loan", types: ["ItemCheckedIn", "CheckinCancelled", "ItemCheckedOut"], handle: (event, envelope, trx) => onLoanEvent(deps, event, envelope, trx) }],
        close: async () => patrons.close(),
      };
    },
  };
}
