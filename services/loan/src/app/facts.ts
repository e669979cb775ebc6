import { type common, hold, type item, type patron } from "@circulate/contracts";
import { type HoldFacts, holdFactsFor, type ItemFacts, itemFactsOf, NO_HOLDS, type PatronFacts, type PatronStanding, type QueuedHold } from "../domain/index.js";

/**
 * Other services' answers turned into the deciders' facts. Each keeps the
 * contract message too, for what the outcome and the events repeat (names,
 * titles, ids) that the rules do not need.
 */

export interface PatronInfo {
  readonly facts: PatronFacts;
  /** The standing as the patron service gave it, for refusals (status flags, name, BL/CQ). */
  readonly standing: common.PatronStanding | undefined;
  /** Institution of the card (canonical, as the patron service knows it). */
  readonly institutionId: string;
}

/** The patron service's verdict; `response` null = no patron asked about (empty barcode). */
export function patronInfo(ref: common.PatronRef, response: patron.VerifyPatronResponse | null): PatronInfo {
  const standing = response?.standing;
  if (!response?.found || !standing) {
    return { facts: { found: false, barcode: ref.barcode }, standing: undefined, institutionId: ref.institutionId };
  }
  const flags = standing.status;
  const causes: PatronStanding = {
    blocked: response.blocked,
    cardLost: flags?.cardReportedLost ?? false,
    expired: response.expired,
    tooManyCharged: flags?.tooManyItemsCharged ?? false,
    tooManyOverdue: flags?.tooManyItemsOverdue ?? false,
    excessiveFines: (flags?.excessiveOutstandingFines ?? false) || (flags?.excessiveOutstandingFees ?? false),
  };
  const institutionId = standing.patron?.institutionId || ref.institutionId;
  return {
    facts: {
      found: true,
      patronId: standing.patronId,
      barcode: standing.patron?.barcode || ref.barcode,
      institutionId,
      patronType: response.patronType,
      pin: response.pinLocked ? "locked" : standing.pinValid === undefined ? "not_checked" : standing.pinValid ? "ok" : "wrong",
      standing: causes,
      // Filled in inside the transaction from our own loans (see chargedCount).
      chargedCount: 0,
    },
    standing,
    institutionId,
  };
}

export interface ItemInfo {
  readonly facts: ItemFacts;
  readonly item: item.Item | undefined;
  /** The item as the outcome reports it; just the reference when unknown. */
  readonly summary: common.ItemSummary;
  /** The item's canonical reference: its owning institution and barcode. */
  readonly ref: common.ItemRef;
}

export function itemSummary(found: item.Item): common.ItemSummary {
  return {
    itemId: found.itemId,
    item: found.item,
    title: found.title,
    titleId: found.titleId,
    mediaType: found.mediaType,
    magneticMedia: found.magneticMedia,
    permanentLocation: found.permanentLocation,
    currentLocation: found.currentLocation,
    callNumber: found.callNumber,
    collectionCode: found.collectionCode,
    owner: found.owner,
    properties: found.properties,
  };
}

const emptySummary = (ref: common.ItemRef): common.ItemSummary => ({
  itemId: "",
  item: ref,
  title: "",
  titleId: "",
  mediaType: "MEDIA_TYPE_UNSPECIFIED",
  magneticMedia: undefined,
  permanentLocation: "",
  currentLocation: "",
  callNumber: "",
  collectionCode: "",
  owner: "",
  properties: "",
});

/**
 * The item as the deciders see it, under its canonical reference: the owning
 * institution of the item service's reference (barcodes are unique within it),
 * which keys the loan stream, the loan rules and the calendar.
 */
export function itemInfo(ref: common.ItemRef, found: item.Item | undefined): ItemInfo {
  if (!found) return { facts: { found: false, barcode: ref.barcode }, item: undefined, summary: emptySummary(ref), ref };
  const canonical = { institutionId: found.item?.institutionId || ref.institutionId, barcode: found.item?.barcode || ref.barcode };
  return { facts: itemFactsOf(found, canonical), item: found, summary: itemSummary(found), ref: canonical };
}

const TRAPPED = new Set<hold.HoldStatus>([hold.HoldStatus.IN_TRANSIT, hold.HoldStatus.AVAILABLE]);

/** A hold of the hold contract as the domain's hold rules see it. */
export function queuedHold(h: hold.Hold): QueuedHold {
  const target: QueuedHold["target"] =
    h.holdType === "HOLD_TYPE_SPECIFIC_COPY"
      ? { kind: "copy", barcode: h.item?.barcode ?? "" }
      : h.holdType === "HOLD_TYPE_ANY_COPY_AT_LOCATION"
        ? { kind: "branch", pickup: h.pickupLocation }
        : { kind: "title" };
  return {
    holdId: h.holdId,
    patronId: h.patronId,
    pickupLocation: h.pickupLocation,
    placedAt: h.placedAt ? h.placedAt.toISOString() : "",
    trapped: TRAPPED.has(h.status),
    trappedBarcode: h.trappedItem?.barcode ?? "",
    target,
    expiresAt: h.expiresAt ? h.expiresAt.toISOString() : null,
  };
}

/** The copy's hold facts for one patron, from its title queue (`null`: none asked, a cancel). */
export function holdFacts(queue: readonly hold.Hold[] | null, item: ItemInfo, patronId: string | null, now: Date): HoldFacts {
  if (queue === null || !item.facts.found) return NO_HOLDS;
  return holdFactsFor(queue.map(queuedHold), { barcode: item.ref.barcode, branch: item.facts.permanentLocation }, patronId, now);
}
