import { common, hold as holdpb } from "@circulate/contracts";
import type { NewEvent, RecordedEvent } from "@circulate/eventstore";
import { type HoldEvent, HoldType, type HoldTypeCode, type Instant } from "../domain/index.js";

/**
 * The one place where the domain's events meet the stored and published ones.
 *
 * Stored events are `{ type, data }` with `data` the proto3 JSON of the message
 * in `proto/library/hold/v1/events.proto`, so the host's `protoJsonEncoder`
 * publishes them as they are. The domain has a few events the contract spells
 * differently:
 *
 * | domain | stored / published |
 * |---|---|
 * | HoldTrapped on_shelf | HoldTrapped (in_transit = false) + HoldShelved (pickup_by) |
 * | HoldTrapped in_transit | HoldTrapped (in_transit = true) |
 * | HoldArrived | HoldShelved |
 * | HoldInTransit | HoldTrapped (in_transit = true) for the copy already trapped |
 *
 * and reading back reverses it (`toDomain`), so the queue folds from what was
 * stored. The domain keys patrons by `patronKey` (institution + barcode); the
 * published events carry the patron service's internal id and the card.
 */

export type StoredHoldEvent =
  | { readonly type: "HoldPlaced"; readonly msg: holdpb.HoldPlaced }
  | { readonly type: "HoldChanged"; readonly msg: holdpb.HoldChanged }
  | { readonly type: "HoldCancelled"; readonly msg: holdpb.HoldCancelled }
  | { readonly type: "HoldTrapped"; readonly msg: holdpb.HoldTrapped }
  | { readonly type: "HoldShelved"; readonly msg: holdpb.HoldShelved }
  | { readonly type: "HoldTrapReleased"; readonly msg: holdpb.HoldTrapReleased }
  | { readonly type: "HoldFulfilled"; readonly msg: holdpb.HoldFulfilled }
  | { readonly type: "HoldExpired"; readonly msg: holdpb.HoldExpired };

export type StoredEventType = StoredHoldEvent["type"];

/** `institution/barcode`: the institution is escaped, so the first `/` always ends it. */
export function patronKey(ref: Pick<common.PatronRef, "institutionId" | "barcode">): string {
  return `${encodeURIComponent(ref.institutionId)}/${ref.barcode}`;
}

const CODE_OF: Partial<Record<common.HoldType, HoldTypeCode>> = {
  [common.HoldType.OTHER]: HoldType.other,
  // The contract's "unset = the service default": any copy of the title.
  [common.HoldType.UNSPECIFIED]: HoldType.anyCopyOfTitle,
  [common.HoldType.ANY_COPY]: HoldType.anyCopyOfTitle,
  [common.HoldType.SPECIFIC_COPY]: HoldType.specificCopy,
  [common.HoldType.ANY_COPY_AT_LOCATION]: HoldType.anyCopyAtBranch,
};

/** SIP2 `BY` code of a contract hold type; `"?"` for a value newer than this build (the decider refuses it). */
export function holdTypeCode(type: common.HoldType): string {
  return CODE_OF[type] ?? "?";
}

export function holdTypeOf(code: HoldTypeCode): common.HoldType {
  switch (code) {
    case HoldType.other:
      return common.HoldType.OTHER;
    case HoldType.anyCopyOfTitle:
      return common.HoldType.ANY_COPY;
    case HoldType.specificCopy:
      return common.HoldType.SPECIFIC_COPY;
    case HoldType.anyCopyAtBranch:
      return common.HoldType.ANY_COPY_AT_LOCATION;
  }
}

export const instant = (d: Date | undefined): Instant | null => (d === undefined ? null : d.toISOString());
export const dateOf = (i: Instant | null): Date | undefined => (i === null ? undefined : new Date(i));

/** Parses a stored event; `null` for a type this build does not know (skipped by the fold). */
export function readStored(event: Pick<RecordedEvent, "type" | "data">): StoredHoldEvent | null {
  const d = event.data;
  switch (event.type) {
    case "HoldPlaced":
      return { type: event.type, msg: holdpb.HoldPlaced.fromJSON(d) };
    case "HoldChanged":
      return { type: event.type, msg: holdpb.HoldChanged.fromJSON(d) };
    case "HoldCancelled":
      return { type: event.type, msg: holdpb.HoldCancelled.fromJSON(d) };
    case "HoldTrapped":
      return { type: event.type, msg: holdpb.HoldTrapped.fromJSON(d) };
    case "HoldShelved":
      return { type: event.type, msg: holdpb.HoldShelved.fromJSON(d) };
    case "HoldTrapReleased":
      return { type: event.type, msg: holdpb.HoldTrapReleased.fromJSON(d) };
    case "HoldFulfilled":
      return { type: event.type, msg: holdpb.HoldFulfilled.fromJSON(d) };
    case "HoldExpired":
      return { type: event.type, msg: holdpb.HoldExpired.fromJSON(d) };
    default:
      return null;
  }
}

/** What the fold knows about a hold that a stored event does not repeat. */
export interface KnownHold {
  readonly patronKey: string;
  readonly trappedBarcode: string | null;
}

/** The domain event a stored event stands for (`null`: nothing for the queue). */
export function toDomain(
  stored: StoredHoldEvent,
  known: (holdId: string) => KnownHold | undefined,
  titleKey: string,
  occurredAt: Instant,
): HoldEvent | null {
  const holdId = stored.msg.holdId;
  if (stored.type === "HoldPlaced") {
    const m = stored.msg;
    const code = holdTypeCode(m.holdType) as HoldTypeCode;
    const target =
      code === HoldType.specificCopy && m.item
        ? ({ kind: "item", itemBarcode: m.item.barcode } as const)
        : code === HoldType.anyCopyAtBranch
          ? ({ kind: "branch" } as const)
          : ({ kind: "title" } as const);
    return {
      type: "HoldPlaced",
      holdId,
      titleKey,
      patronId: patronKey(m.patron ?? { institutionId: "", barcode: m.patronId }),
      holdType: code,
      target,
      pickupLocation: m.pickupLocation,
      expiresAt: instant(m.expiresAt),
      placedAt: instant(m.placedAt) ?? occurredAt,
    };
  }
  const hold = known(holdId);
  if (!hold) return null;
  const base = { holdId, titleKey, patronId: hold.patronKey };
  switch (stored.type) {
    case "HoldChanged":
      return { type: "HoldChanged", ...base, pickupLocation: stored.msg.pickupLocation, expiresAt: instant(stored.msg.expiresAt), changedAt: occurredAt };
    case "HoldCancelled":
      return { type: "HoldCancelled", ...base, cancelledAt: occurredAt, releasedItem: stored.msg.releasedItem?.barcode ?? null };
    case "HoldTrapped": {
      const m = stored.msg;
      const itemBarcode = m.item?.barcode ?? "";
      // A copy already trapped for this hold and sent on again: the domain's HoldInTransit.
      if (m.inTransit && hold.trappedBarcode === itemBarcode)
        return { type: "HoldInTransit", ...base, itemBarcode, location: m.location, destination: m.pickupLocation, at: occurredAt };
      return {
        type: "HoldTrapped",
        ...base,
        itemBarcode,
        pickupLocation: m.pickupLocation,
        disposition: m.inTransit ? "in_transit" : "on_shelf",
        location: m.location,
        trappedAt: occurredAt,
        // Set by the HoldShelved that follows.
        shelfExpiresAt: null,
      };
    }
    case "HoldShelved":
      return {
        type: "HoldArrived",
        ...base,
        itemBarcode: stored.msg.item?.barcode ?? hold.trappedBarcode ?? "",
        location: stored.msg.pickupLocation,
        arrivedAt: occurredAt,
        shelfExpiresAt: instant(stored.msg.pickupBy),
      };
    case "HoldTrapReleased":
      return {
        type: "HoldTrapReleased",
        ...base,
        itemBarcode: stored.msg.item?.barcode ?? "",
        reason: stored.msg.reason === "staff" ? "staff" : "checked_out_to_other",
        releasedAt: occurredAt,
      };
    case "HoldFulfilled":
      return {
        type: "HoldFulfilled",
        ...base,
        itemBarcode: stored.msg.item?.barcode ?? "",
        fulfilledAt: occurredAt,
        releasedItem: stored.msg.releasedItem?.barcode ?? null,
      };
    case "HoldExpired":
      return {
        type: "HoldExpired",
        ...base,
        reason: stored.msg.uncollected ? "not_collected" : "not_filled",
        expiredAt: occurredAt,
        releasedItem: stored.msg.releasedItem?.barcode ?? null,
      };
  }
}

/** Who a hold belongs to in the contract's terms, looked up by the encoder. */
export interface HoldParty {
  readonly patronId: string;
  readonly patron: common.PatronRef | undefined;
}

/** Facts the encoder needs beyond the domain events. */
export interface EncodeContext {
  readonly institution: string;
  readonly titleId: string;
  readonly party: (holdId: string) => HoldParty | undefined;
  /** Internal item ids by barcode, when known. */
  readonly itemIds?: ReadonlyMap<string, string>;
  /** HoldPlaced only. */
  readonly placed?: {
    readonly patronId: string;
    readonly patron: common.PatronRef;
    readonly itemId: string;
    readonly title: string;
    readonly terminalAccount: string;
    readonly externalId: string;
  };
  readonly checkInId?: string;
  readonly loanId?: string;
  readonly cancelReason?: string;
  readonly terminalAccount?: string;
  readonly occurredAt?: Date;
}

type Stored = NewEvent<{ type: StoredEventType; data: unknown }>;

/**
 * Domain events → stored events, in order. Each message's `current` (the hold
 * after the event) needs the queue folded through the events: `decideOnQueue`
 * adds it to every event it appends (`withCurrent`), so no caller can forget it.
 */
export function encodeEvents(events: readonly HoldEvent[], ctx: EncodeContext): Stored[] {
  const { institution, titleId } = ctx;
  const ref = (barcode: string | null): common.ItemRef | undefined =>
    barcode === null || barcode === "" ? undefined : { institutionId: institution, barcode };
  const itemId = (barcode: string | null) => (barcode === null ? "" : (ctx.itemIds?.get(barcode) ?? ""));
  const out: Stored[] = [];
  const push = (type: StoredEventType, data: unknown) =>
    out.push(ctx.occurredAt ? { type, data, occurredAt: ctx.occurredAt } : { type, data });

  for (const e of events) {
    const party = e.type === "HoldPlaced" ? undefined : ctx.party(e.holdId);
    const patronId = party?.patronId ?? ctx.placed?.patronId ?? "";
    switch (e.type) {
      case "HoldPlaced": {
        const p = ctx.placed;
        if (!p) throw new Error("HoldPlaced needs the placing context");
        const item = e.target.kind === "item" ? ref(e.target.itemBarcode) : undefined;
        push(
          "HoldPlaced",
          holdpb.HoldPlaced.toJSON(
            holdpb.HoldPlaced.fromPartial({
              holdId: e.holdId,
              patronId: p.patronId,
              patron: p.patron,
              holdType: holdTypeOf(e.holdType),
              item,
              itemId: item ? p.itemId : "",
              titleId,
              pickupLocation: e.pickupLocation,
              expiresAt: dateOf(e.expiresAt),
              terminalAccount: p.terminalAccount,
              placedAt: new Date(e.placedAt),
              externalId: p.externalId,
              title: p.title,
            }),
          ),
        );
        break;
      }
      case "HoldChanged":
        push(
          "HoldChanged",
          holdpb.HoldChanged.toJSON(
            holdpb.HoldChanged.fromPartial({ holdId: e.holdId, pickupLocation: e.pickupLocation, expiresAt: dateOf(e.expiresAt), patronId, titleId }),
          ),
        );
        break;
      case "HoldCancelled":
        push(
          "HoldCancelled",
          holdpb.HoldCancelled.toJSON(
            holdpb.HoldCancelled.fromPartial({
              holdId: e.holdId,
              patronId,
              reason: ctx.cancelReason ?? "",
              terminalAccount: ctx.terminalAccount ?? "",
              titleId,
              releasedItem: ref(e.releasedItem),
            }),
          ),
        );
        break;
      case "HoldTrapped":
        push("HoldTrapped", trapped(e.holdId, patronId, e.itemBarcode, e.location, e.disposition === "in_transit", e.pickupLocation));
        if (e.disposition === "on_shelf") push("HoldShelved", shelved(e.holdId, patronId, e.pickupLocation, e.itemBarcode, e.shelfExpiresAt));
        break;
      case "HoldArrived":
        push("HoldShelved", shelved(e.holdId, patronId, e.location, e.itemBarcode, e.shelfExpiresAt));
        break;
      case "HoldInTransit":
        push("HoldTrapped", trapped(e.holdId, patronId, e.itemBarcode, e.location, true, e.destination));
        break;
      case "HoldTrapReleased":
        push(
          "HoldTrapReleased",
          holdpb.HoldTrapReleased.toJSON(
            holdpb.HoldTrapReleased.fromPartial({
              holdId: e.holdId,
              patronId,
              titleId,
              item: ref(e.itemBarcode),
              itemId: itemId(e.itemBarcode),
              reason: e.reason,
            }),
          ),
        );
        break;
      case "HoldFulfilled":
        push(
          "HoldFulfilled",
          holdpb.HoldFulfilled.toJSON(
            holdpb.HoldFulfilled.fromPartial({
              holdId: e.holdId,
              patronId,
              itemId: itemId(e.itemBarcode),
              loanId: ctx.loanId ?? "",
              titleId,
              item: ref(e.itemBarcode),
              releasedItem: ref(e.releasedItem),
            }),
          ),
        );
        break;
      case "HoldExpired":
        push(
          "HoldExpired",
          holdpb.HoldExpired.toJSON(
            holdpb.HoldExpired.fromPartial({
              holdId: e.holdId,
              patronId,
              uncollected: e.reason === "not_collected",
              titleId,
              releasedItem: ref(e.releasedItem),
            }),
          ),
        );
        break;
      case "HoldSuspended":
      case "HoldResumed":
        // No command or RPC suspends holds yet, and the contract has no message for it.
        throw new Error(`${e.type} has no contract event`);
    }
  }
  return out;

  function trapped(holdId: string, patronId: string, barcode: string, location: string, inTransit: boolean, pickupLocation: string) {
    return holdpb.HoldTrapped.toJSON(
      holdpb.HoldTrapped.fromPartial({
        holdId,
        patronId,
        item: ref(barcode),
        itemId: itemId(barcode),
        location,
        inTransit,
        checkInId: ctx.checkInId ?? "",
        titleId,
        pickupLocation,
      }),
    );
  }

  function shelved(holdId: string, patronId: string, pickupLocation: string, barcode: string, pickupBy: Instant | null) {
    return holdpb.HoldShelved.toJSON(
      holdpb.HoldShelved.fromPartial({
        holdId,
        patronId,
        pickupLocation,
        pickupBy: dateOf(pickupBy),
        titleId,
        item: ref(barcode),
        itemId: itemId(barcode),
      }),
    );
  }
}
