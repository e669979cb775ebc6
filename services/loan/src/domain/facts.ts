import { type common, item } from "@circulate/contracts";
import type { Calendar } from "./calendar.js";

/**
 * Facts the deciders receive as data. Facts owned by another service (patron
 * standing, PIN checks, item states, holds) are gathered by the app layer; the
 * deciders never ask anyone and never read a clock.
 */

/** The patron service's verdict on the PIN sent with the request. */
export type PinCheck = "ok" | "wrong" | "locked" | "not_checked";

/**
 * Why the patron's privileges are restricted: the causes of the patron
 * service's `standing` (docs/services.md), not the 14 SIP2 flags, so that a
 * refusal can name its precise reason. Limits (max overdue, fine limit) are the
 * patron service's policy; we only read its conclusions.
 */
export interface PatronStanding {
  /** Manual block (01 Block Patron or staff). */
  readonly blocked: boolean;
  readonly cardLost: boolean;
  readonly expired: boolean;
  /** Charged items ≥ the patron type's maximum. */
  readonly tooManyCharged: boolean;
  /** Overdue items ≥ the patron type's maximum. */
  readonly tooManyOverdue: boolean;
  /** Fine balance over the patron type's fine limit. */
  readonly excessiveFines: boolean;
}

/**
 * The PIN a command sends to the patron service to check, if any. A no-block
 * transaction or a cancel is not judged on the PIN, and not sending it keeps
 * a kiosk's replayed offline queue from locking the patron out.
 */
export function pinToVerify(pin: string | undefined, command: { readonly noBlock: boolean; readonly cancel: boolean }): string | undefined {
  return command.noBlock || command.cancel ? undefined : pin;
}

export const GOOD_STANDING: PatronStanding = {
  blocked: false,
  cardLost: false,
  expired: false,
  tooManyCharged: false,
  tooManyOverdue: false,
  excessiveFines: false,
};

export interface PatronNotFound {
  readonly found: false;
  readonly barcode: string;
}

export interface FoundPatron {
  readonly found: true;
  readonly patronId: string;
  readonly barcode: string;
  readonly institutionId: string;
  readonly patronType: string;
  readonly pin: PinCheck;
  readonly standing: PatronStanding;
  /** Items charged now (from our own loan projection); checked against the rule's max items. */
  readonly chargedCount: number;
}

export type PatronFacts = PatronNotFound | FoundPatron;

/**
 * The item service's own states. "On loan" is not among them (the loan stream
 * knows) and neither is "on the hold shelf" (the hold facts know).
 */
export const ITEM_STATES = ["available", "missing", "lost", "in_transit", "claimed_returned", "in_process"] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export interface ItemNotFound {
  readonly found: false;
  readonly barcode: string;
}

export interface FoundItem {
  readonly found: true;
  /** The item service's internal id of the copy. */
  readonly itemId: string;
  readonly barcode: string;
  readonly title: string;
  /** Bibliographic record of the title. */
  readonly titleId: string;
  readonly itemType: string;
  /** SIP2 media type code (3 digits). */
  readonly mediaType: string;
  readonly owningInstitutionId: string;
  /** Where the item lives (SIP2 AQ in the checkin response). */
  readonly permanentLocation: string;
  /** Reference or in-library use only, whatever the loan rule says. */
  readonly nonCirculating: boolean;
  readonly state: ItemState;
  /** Needs special handling at the security pad; null = unknown (SIP2 `U`). */
  readonly magneticMedia: boolean | null;
}

export type ItemFacts = ItemNotFound | FoundItem;

/**
 * The item service's states in the domain's terms. ON_LOAN and ON_HOLD_SHELF
 * are not states of the item's record (loans and holds are ours and the hold service's),
 * so they read as available; an unknown state fails closed (not lendable).
 */
const RECORD_STATES: Record<item.ItemState, ItemState> = {
  [item.ItemState.UNSPECIFIED]: "available",
  [item.ItemState.AVAILABLE]: "available",
  [item.ItemState.ON_LOAN]: "available",
  [item.ItemState.ON_HOLD_SHELF]: "available",
  [item.ItemState.ON_ORDER]: "in_process",
  [item.ItemState.IN_PROCESS]: "in_process",
  [item.ItemState.MISSING]: "missing",
  [item.ItemState.LOST]: "lost",
  [item.ItemState.CLAIMED_RETURNED]: "claimed_returned",
  [item.ItemState.IN_TRANSIT]: "in_transit",
  [item.ItemState.WITHDRAWN]: "available",
  [item.ItemState.UNRECOGNIZED]: "in_process",
};

/**
 * The item service's record of a copy as the deciders see it, under its
 * canonical reference (owning institution and barcode). A withdrawn item is
 * no longer part of the collection: it does not circulate.
 */
export function itemFactsOf(found: item.Item, ref: common.ItemRef): FoundItem {
  return {
    found: true,
    itemId: found.itemId,
    barcode: ref.barcode,
    title: found.title,
    titleId: found.titleId,
    itemType: found.itemType,
    mediaType: found.mediaType,
    owningInstitutionId: ref.institutionId,
    permanentLocation: found.permanentLocation,
    nonCirculating: !found.circulating || found.state === item.ItemState.WITHDRAWN,
    state: RECORD_STATES[found.state],
    magneticMedia: found.magneticMedia ?? null,
  };
}

/** What the hold service knows about holds on this item. */
export interface HoldFacts {
  /** Patron the item is trapped for (on the hold shelf or in transit to it), if any. */
  readonly trappedFor: string | null;
  /** Patrons with an item-level hold on this very copy. */
  readonly itemLevelHoldPatrons: readonly string[];
  /** Holds on the title (for information; may include the borrower's own). */
  readonly titleQueueLength: number;
  /** Another patron has a hold this copy could fill (the hold service's judgement). */
  readonly someoneElseWaiting: boolean;
}

export const NO_HOLDS: HoldFacts = { trappedFor: null, itemLevelHoldPatrons: [], titleQueueLength: 0, someoneElseWaiting: false };

/**
 * How this terminal transacts. The app builds it from the command envelope (SC
 * renewal policy, no block, nb due date) and the terminal account.
 */
export interface TerminalFacts {
  readonly terminalId: string;
  /** Where the terminal is (its configured location). */
  readonly location: string;
  /** The kiosk's SC renewal policy AND the terminal account allow renewals. */
  readonly renewalPolicyAllows: boolean;
  /** The kiosk did this while offline (`no block = Y`): apply it, do not judge it. */
  readonly noBlock: boolean;
  /** The due date the kiosk gave the patron while offline (`nb due date`). */
  readonly kioskDueDate: Date | null;
}

/**
 * The lending institution's time: calendar and IANA zone. We use the item's
 * owning institution, whose rules and calendar set the terms of its loans.
 */
export interface InstitutionTime {
  readonly timeZone: string;
  readonly calendar: Calendar;
}
