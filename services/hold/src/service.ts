import { protoJsonEncoder, type ServiceDefinition } from "@circulate/service";
import { holdMigrations } from "../migrations/index.js";
import type { HoldDb } from "./adapters/db.js";
import { holdsGrpcService } from "./adapters/grpc.js";
import { grpcPeers, type Peers } from "./adapters/peers.js";
import type { HoldDeps, HoldSettings } from "./app/command.support.js";
import { holdFromLoanSubscription } from "./app/loan-events.js";
import { HOLD_PROJECTIONS, itemFactsSubscription, loanFactsSubscription } from "./app/peer-events.js";
import { cancelHoldHandler } from "./cancel-hold/cancel-hold.handler.js";
import { changeHoldHandler } from "./change-hold/change-hold.handler.js";
import { expireDueHolds } from "./expire-holds/expire-holds.handler.js";
import { placeHoldHandler } from "./place-hold/place-hold.handler.js";
import { DEFAULT_SETTINGS } from "./settings.js";

export interface HoldServiceOptions {
  readonly settings?: Partial<HoldSettings>;
  /** Period of the expiry sweep; 0 (the default here) = off. */
  readonly expirySweepMs?: number;
  /** Clock, for tests. */
  readonly now?: () => Date;
  /** Peer clients; default: grpc-js clients to `config.peers`. */
  readonly peers?: Peers;
}

/**
 * The hold service: 15 (+ - *) over NATS, `Holds` over gRPC, the loan
 * service's ItemCheckedOut consumed to fulfil holds and its ItemCheckedIn to
 * apply the trap decided at checkin, the item and loan services' events kept as
 * the facts it decides on, and an optional expiry sweep.
 */
export function holdService(options: HoldServiceOptions = {}): ServiceDefinition<"hold", HoldDb> {
  return {
    name: "hold",
    migrations: holdMigrations,
    projections: HOLD_PROJECTIONS,
    build: ({ config, db, logger, eventsCommitted, projections, peerCredentials }) => {
      const peers = options.peers ?? grpcPeers(config.peers, peerCredentials);
      const deps: HoldDeps = {
        db,
        peers,
        projections,
        settings: { ...DEFAULT_SETTINGS, ...options.settings },
        logger,
        eventsCommitted,
        now: options.now ?? (() => new Date()),
      };
      let sweep: NodeJS.Timeout | undefined;
      let sweeping: Promise<unknown> = Promise.resolve();
      if (options.expirySweepMs && options.expirySweepMs > 0) {
        sweep = setInterval(() => {
          sweeping = expireDueHolds(deps).catch((err: unknown) => logger.warn({ err }, "expiry sweep failed; retrying next period"));
        }, options.expirySweepMs);
        sweep.unref();
      }
      return {
        handlers: {
          placeHold: placeHoldHandler(deps),
          cancelHold: cancelHoldHandler(deps),
          changeHold: changeHoldHandler(deps),
        },
        grpc: [holdsGrpcService(deps)],
        encodeEvent: protoJsonEncoder,
        subscriptions: [
          holdFromLoanSubscription(deps),
          itemFactsSubscription(deps),
          loanFactsSubscription(),
        ],
        close: async () => {
          clearInterval(sweep);
          await sweeping;
          peers.close();
        },
      };
    },
  };
}
