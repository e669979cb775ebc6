import type { DomainEvent } from "@circulate/contracts";
import type { Decision } from "@circulate/domain";
import { type Event, handleCommand } from "@circulate/eventstore";
import { projectFeeEvents } from "../adapters/account.projection.js";
import type { FeeDatabase } from "../adapters/db.js";
import { recordedOutcome } from "../adapters/fee.repository.js";
import type { FeeAccount } from "../domain/index.js";
import { evolveStored, initialAccount, toAppend } from "./account.store.js";
import { type AdminErrorKind, adminError } from "./admin-error.js";
import type { FeeDeps } from "./deps.js";

/** Peer calls made by admin RPCs get this budget (no kiosk is waiting on them). */
const ADMIN_PEER_TIMEOUT_MS = 5_000;

/** The deadline of a peer call an admin RPC makes. */
export const adminPeerDeadline = (): Date => new Date(Date.now() + ADMIN_PEER_TIMEOUT_MS);

/** What an admin request records under its request id: the fee it touched, or why not. */
export type AdminResult = { readonly feeId: string } | { readonly error: { readonly kind: AdminErrorKind; readonly message: string } };

/** The result recorded for an admin request id, if it was carried out before. */
export async function recordedAdminResult(deps: FeeDeps, commandId: string): Promise<AdminResult | undefined> {
  return (await recordedOutcome(deps.db, commandId)) as AdminResult | undefined;
}

/**
 * Runs an admin request with a caller-given request id exactly once, like a
 * command: the id (namespaced so it never meets a kiosk command id) keys the
 * idempotency record, and a retry gets the first answer, refusal included.
 */
export async function runAdminCommand<R extends string, A>(
  deps: FeeDeps,
  options: {
    commandId: string;
    streamId: string;
    institution: string;
    decide: (state: FeeAccount, now: string) => Decision<DomainEvent<"fee">, R, A>;
    /** The patron service's internal id of the account's patron. */
    patronId: string;
    feeId: string;
    refusal: (reason: R, detail: string) => AdminErrorKind;
  },
): Promise<string> {
  const result = await handleCommand<FeeDatabase, FeeAccount, Event, AdminResult>(deps.db, {
    commandId: options.commandId,
    streamId: options.streamId,
    initialState: initialAccount,
    evolve: evolveStored,
    metadata: { institution: options.institution, correlationId: options.commandId, causationId: options.commandId },
    projections: [projectFeeEvents],
    decide: (state) => {
      const now = deps.now();
      const d = options.decide(state, now.toISOString());
      if (d.outcome === "refused") {
        const message = `${d.reason}${d.detail ? `: ${d.detail}` : ""}`;
        const refused: AdminResult = { error: { kind: options.refusal(d.reason, message), message } };
        return { events: [], outcome: refused };
      }
      const done: AdminResult = { feeId: options.feeId };
      return { events: toAppend(d.events, { patronId: options.patronId, at: now }), outcome: done };
    },
  });
  if (result.events.length > 0) deps.eventsCommitted();
  return unwrap(result.outcome);
}

export function unwrap(result: AdminResult): string {
  if ("error" in result) throw adminError(result.error.kind, result.error.message);
  return result.feeId;
}
