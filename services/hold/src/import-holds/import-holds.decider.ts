import { type DomainEvent, domainEvent, hold as holdpb, type patron as patronpb } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { withItemIds } from "../app/event-fields.js";
import type { QueueKey } from "../app/queue.runner.js";
import { evolveQueueStateWith, type HoldView, IMPORT_METADATA, isActive, type QueueState } from "../app/queue.state.js";
import { copyRef, HoldType, type HoldTypeCode, holdTrappingItem, holdTypeCode, instantOf, isHoldTypeCode } from "../domain/index.js";
import { decidePlaceHold } from "../place-hold/place-hold.decider.js";

/**
 * The import's rules, record by record, on the queue as it stands: which
 * records can be imported at all, and the events that place a new hold or
 * bring an imported one in line. A record that cannot be imported refuses the
 * whole request (InvalidArgumentError) before anything is written.
 */

type HoldEvent = DomainEvent<"hold">;

const TRAPPED = new Set<holdpb.HoldStatus>([holdpb.HoldStatus.IN_TRANSIT, holdpb.HoldStatus.AVAILABLE]);
const IMPORTABLE = new Set<holdpb.HoldStatus>([holdpb.HoldStatus.UNSPECIFIED, holdpb.HoldStatus.WAITING, ...TRAPPED]);

/** A record with what the patron service and the item facts say of it. */
export interface PreparedRecord {
  readonly index: number;
  readonly record: holdpb.HoldRecord;
  readonly code: HoldTypeCode;
  readonly key: QueueKey;
  readonly patron: patronpb.Patron;
  readonly title: string;
  readonly itemIds: Map<string, string>;
}

export type ImportCounts = { created: number; updated: number; unchanged: number };

/** What the import cannot know by itself: a new hold's id, and until when a copy put on the shelf now waits. */
export interface ImportFacts {
  readonly newHoldId: () => string;
  readonly shelfExpiresAt: Date;
}

/** A record the import can take at all: checked before any fact is gathered. */
export function checkRecord(r: holdpb.HoldRecord, i: number, now: Date): void {
  const where = `holds[${i}]`;
  const bad = (why: string) => new InvalidArgumentError([`${where}${r.externalId ? ` (external_id ${r.externalId})` : ""}: ${why}`]);
  if (r.externalId === "") throw bad("external_id is required (the import's idempotency key)");
  if (!r.patron?.institutionId || !r.patron.barcode) throw bad("patron with institution_id and barcode is required");
  if (r.pickupLocation === "") throw bad("pickup_location is required");
  if (!r.item?.barcode && r.titleId === "" && !r.trappedItem?.barcode) throw bad("item or title_id is required");
  const code = holdTypeCode(r.holdType);
  if (!isHoldTypeCode(code)) throw bad(`unknown hold_type ${r.holdType}`);
  if (code === HoldType.specificCopy && !r.item?.barcode) throw bad("a specific-copy hold needs item");
  if (!IMPORTABLE.has(r.status)) throw bad(`status ${r.status} cannot be imported (only waiting, in transit, available)`);
  if (TRAPPED.has(r.status) && !r.trappedItem?.barcode) throw bad("trapped_item is required for IN_TRANSIT and AVAILABLE");
  if (code === HoldType.specificCopy && r.trappedItem?.barcode && r.trappedItem.barcode !== r.item?.barcode)
    throw bad("a specific-copy hold can only trap its own copy");
  if (r.placedAt && r.placedAt.getTime() > now.getTime() + 60_000) throw bad("placed_at is in the future");
  if (r.expiresAt && r.expiresAt.getTime() <= now.getTime()) throw bad("expires_at has passed: an expired hold is not imported");
}

/** The records of one queue, in their placement order, decided one after the other on the queue they leave. */
export function decideImportGroup(initial: QueueState, group: readonly PreparedRecord[], now: Date, facts: ImportFacts) {
  let state = initial;
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  const out: HoldEvent[] = [];
  for (const p of group) {
    const existing = [...state.views.values()].find((v) => v.externalId === p.record.externalId);
    const { kind, events } = existing ? update(state, p, existing, facts) : create(state, p, now, facts);
    counts[kind]++;
    if (events.length === 0) continue;
    const recorded = withItemIds(events, p.itemIds);
    state = evolveQueueStateWith(state, recorded, now, IMPORT_METADATA);
    out.push(...recorded);
  }
  return { events: out, outcome: counts, at: now };
}

function create(state: QueueState, p: PreparedRecord, now: Date, facts: ImportFacts) {
  const r = p.record;
  const holdId = facts.newHoldId();
  const where = `holds[${p.index}] (external_id ${r.externalId})`;
  // Decided as of the original placement, so the hold keeps its place in the queue.
  const placedAt = (r.placedAt ?? now).toISOString();
  const d = decidePlaceHold(
    {
      holdId,
      patron: r.patron!,
      institution: p.key.institution,
      titleKey: p.key.titleId,
      holdType: p.code,
      itemBarcode: r.item?.barcode || null,
      pickupLocation: r.pickupLocation,
      expiresAt: instantOf(r.expiresAt),
    },
    state.queue,
    {
      patron: { found: true, holdPrivilegesDenied: false },
      target: { found: true, holdable: true, availableNow: false },
      defaultPickupLocation: null,
      pickupLocations: null,
    },
    placedAt,
  );
  if (d.outcome === "refused") throw new InvalidArgumentError([`${where}: ${d.reason}${d.detail ? ` (${d.detail})` : ""}`]);
  const placed = d.events.map((e) => ({ ...e, data: { ...e.data, patronId: p.patron.patronId, title: p.title, externalId: r.externalId } }));
  const events: HoldEvent[] = [...placed];
  if (TRAPPED.has(r.status)) events.push(...trapEvents(state, p, holdId, r.pickupLocation, facts));
  return { kind: "created" as const, events };
}

function update(state: QueueState, p: PreparedRecord, v: HoldView, facts: ImportFacts) {
  const r = p.record;
  const none = { kind: "unchanged" as const, events: [] as HoldEvent[] };
  // Closed, trapped or changed here since the import: Circulate is now the record of this
  // hold and the previous system's copy is out of date (a re-run must not release a trap).
  if (!isActive(v) || v.circulatedSinceImport) return none;
  // The domain has no event that re-targets a hold: cancel it and import it under a new external id instead.
  if (holdTypeCode(v.holdType) !== p.code)
    throw new InvalidArgumentError([`holds[${p.index}] (external_id ${r.externalId}): the hold type of an imported hold cannot change`]);
  if (p.code === HoldType.specificCopy && v.item?.barcode !== r.item?.barcode)
    throw new InvalidArgumentError([`holds[${p.index}] (external_id ${r.externalId}): the copy of an imported hold cannot change`]);
  // Every event of the record names the patron as the patron service does now.
  const base = { holdId: v.holdId, patronId: p.patron.patronId, titleId: p.key.titleId };
  const events: HoldEvent[] = [];
  if (r.pickupLocation !== v.pickupLocation || instantOf(r.expiresAt) !== instantOf(v.expiresAt))
    events.push(domainEvent("HoldChanged", { ...base, pickupLocation: r.pickupLocation, expiresAt: r.expiresAt }));

  const wantTrap = TRAPPED.has(r.status) ? r.trappedItem!.barcode : null;
  const haveTrap = v.status === holdpb.HoldStatus.WAITING ? null : (v.trappedItem?.barcode ?? null);
  const sameTrap = wantTrap !== null && wantTrap === haveTrap && r.status === v.status;
  if (haveTrap !== null && !sameTrap)
    events.push(domainEvent("HoldTrapReleased", { ...base, item: copyRef(p.key.institution, haveTrap), reason: "staff" }));
  if (wantTrap !== null && !sameTrap) events.push(...trapEvents(state, p, v.holdId, r.pickupLocation, facts));
  if (sameTrap && r.status === holdpb.HoldStatus.AVAILABLE && r.pickupBy && r.pickupBy.getTime() !== v.pickupBy?.getTime())
    events.push(domainEvent("HoldShelved", { ...base, pickupLocation: r.pickupLocation, pickupBy: r.pickupBy, item: copyRef(p.key.institution, wantTrap) }));
  return { kind: events.length > 0 ? ("updated" as const) : ("unchanged" as const), events };
}

/** The old system says the copy is already trapped: recorded as a trap, on the shelf or in transit to the pickup location. */
function trapEvents(state: QueueState, p: PreparedRecord, holdId: string, pickupLocation: string, facts: ImportFacts): HoldEvent[] {
  const r = p.record;
  const barcode = r.trappedItem!.barcode;
  const other = holdTrappingItem(state.queue, barcode);
  if (other && other.holdId !== holdId)
    throw new InvalidArgumentError([`holds[${p.index}] (external_id ${r.externalId}): item ${barcode} is already trapped for hold ${other.holdId}`]);
  const onShelf = r.status === holdpb.HoldStatus.AVAILABLE;
  const base = { holdId, patronId: p.patron.patronId, titleId: p.key.titleId, item: copyRef(p.key.institution, barcode), pickupLocation };
  // Where it was checked in is not known to the import; on the shelf it is at the pickup location.
  const trapped = domainEvent("HoldTrapped", { ...base, location: onShelf ? pickupLocation : "", inTransit: !onShelf });
  if (!onShelf) return [trapped];
  return [trapped, domainEvent("HoldShelved", { ...base, pickupBy: r.pickupBy ?? facts.shelfExpiresAt })];
}
