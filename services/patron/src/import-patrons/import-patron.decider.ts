import { accept, type Decision, fold, refuse } from "@circulate/domain";
import {
  evolvePatron,
  type PatronEvent,
  type PatronId,
  type PatronRecord,
  type PatronRecordFacts,
  type PatronState,
  patronEvent,
} from "../domain/index.js";
import { decideRegisterPatron } from "../register-patron/register-patron.decider.js";
import { decideSetPin } from "../set-pin/set-pin.decider.js";
import { decideUpdatePatron } from "../update-patron/update-patron.decider.js";

/**
 * The block an import asks for: a reason = blocked with it, `""` = not blocked.
 *
 * An import speaks for the source system, which knows nothing of blocks set
 * here: by kiosks (01, often with the card kept in the machine) or by staff
 * (BlockPatron). So an import never lifts or rewrites those: only 25 or staff
 * do. It sets, changes and lifts its own blocks, the ones with neither a
 * terminal nor a staff member.
 */
export function decideImportBlock(reason: string, state: PatronState): PatronEvent[] {
  if (state.status === "unregistered") return [];
  const block = state.block;
  if (block && (block.terminalAccount !== "" || block.staff !== "")) return [];
  if (reason === "") return block ? [patronEvent("PatronEnabled", { patronId: state.patronId })] : [];
  if (block?.message === reason) return [];
  return [patronEvent("PatronBlocked", { patronId: state.patronId, reason, cardRetained: false, terminalAccount: "" })];
}

/** One record of an import (UpsertPatrons): create or replace, idempotently. */
export interface ImportPatron {
  readonly type: "ImportPatron";
  readonly patron: PatronId;
  /** Internal id if the patron is new. */
  readonly patronId: string;
  readonly record: PatronRecord;
  /**
   * A new PIN hash to store, or `null` to keep the PIN. The app hashes only
   * when the given PIN does not already match the stored hash, so re-running
   * an import writes no PinChanged (hashes are salted and always differ).
   */
  readonly newPinHash: string | null;
  /** See {@link decideImportBlock}. */
  readonly blockReason: string;
}

export type ImportPatronRefusal = "invalid_record";

export interface ImportPatronResult {
  /** `unchanged` = the patron already had exactly this data: no events. */
  readonly change: "created" | "updated" | "unchanged";
}

/**
 * Register or update, then the PIN, then the block, as one decision on one
 * stream (one transaction), so an import never leaves a patron half-written.
 */
export function decideImportPatron(
  command: ImportPatron,
  state: PatronState,
  facts: PatronRecordFacts,
): Decision<PatronEvent, ImportPatronRefusal, ImportPatronResult> {
  const created = state.status === "unregistered";
  const first = created
    ? decideRegisterPatron({ type: "RegisterPatron", patron: command.patron, patronId: command.patronId, record: command.record }, state, facts)
    : decideUpdatePatron({ type: "UpdatePatron", patron: command.patron, record: command.record }, state, facts);
  if (first.outcome === "refused") {
    // Only an invalid record can be refused here: the state decided register vs update.
    return refuse("invalid_record", first.detail);
  }
  const events: PatronEvent[] = [...first.events];
  let current = fold(evolvePatron, state, events);
  if (command.newPinHash !== null) {
    const pin = decideSetPin({ type: "SetPin", patron: command.patron, pinHash: command.newPinHash }, current);
    if (pin.outcome === "accepted") events.push(...pin.events);
    current = fold(evolvePatron, current, pin.events);
  }
  events.push(...decideImportBlock(command.blockReason, current));
  const change = created ? "created" : events.length > 0 ? "updated" : "unchanged";
  return accept(events, { change });
}
