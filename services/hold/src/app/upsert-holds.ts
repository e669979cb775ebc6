import { type common, type DomainEvent, domainEvent, hold as holdpb, type patron as patronpb, uuidv7 } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { refKey } from "../adapters/peer-facts.repository.js";
import {
  copyRef,
  decidePlaceHold,
  HoldType,
  type HoldTypeCode,
  holdTrappingItem,
  holdTypeCode,
  instantOf,
  isHoldTypeCode,
  patronKey,
} from "../domain/index.js";
import { type HoldDeps, shelfExpiry } from "./command.support.js";
import { withItemIds } from "./event-fields.js";
import { resolveItems } from "./item-facts.js";
import { type QueueKey, runOnQueue } from "./queue.runner.js";
import { evolveQueueStateWith, type HoldView, IMPORT_METADATA, isActive, type QueueState, queueStreamId } from "./queue.state.js";

type HoldEvent = DomainEvent<"hold">;

const TRAPPED = new Set<holdpb.HoldStatus>([holdpb.HoldStatus.IN_TRANSIT, holdpb.HoldStatus.AVAILABLE]);
const IMPORTABLE = new Set<holdpb.HoldStatus>([holdpb.HoldStatus.UNSPECIFIED, holdpb.HoldStatus.WAITING, ...TRAPPED]);

interface Prepared {
  readonly index: number;
  readonly record: holdpb.HoldRecord;
  readonly code: HoldTypeCode;
  readonly key: QueueKey;
  readonly patron: patronpb.Patron;
  readonly title: string;
  readonly itemIds: Map<string, string>;
}

type Counts = { created: number; updated: number; unchanged: number };

/**
 * Admin import of holds from a previous system, idempotent by `external_id`:
 * a new id places the hold (at its original `placed_at`, so the queue keeps
 * the old order) and, for IN_TRANSIT / AVAILABLE, traps its copy; a known id
 * brings pickup, expiry and trap state in line, unless the hold circulated
 * here since (trapped at a checkin, changed at a kiosk, fulfilled, cancelled,
 * expired): then the record changes nothing and closed holds stay closed. Patrons and items must be
 * imported first: the patron service gives the patron's id, the item facts
 * (the item service's events) the copy's title and id. Every record is checked before anything is written;
 * writes go queue by queue (one transaction each), so a re-run completes an
 * import that failed half-way.
 */
export async function upsertHolds(deps: HoldDeps, req: holdpb.UpsertHoldsRequest, deadline: Date): Promise<holdpb.UpsertHoldsResponse> {
  const now = deps.now();
  req.holds.forEach((r, i) => {
    check(r, i, now);
  });

  const patronRefs = new Map(req.holds.map((r) => [patronKey(r.patron!), r.patron!]));
  const itemRefs = new Map<string, common.ItemRef>();
  for (const r of req.holds) for (const ref of [r.item, r.trappedItem]) if (ref?.barcode) itemRefs.set(refKey(ref), ref);
  const [patrons, itemOf] = await Promise.all([
    Promise.all([...patronRefs].map(async ([k, ref]) => [k, await deps.peers.getPatron(ref, deadline)] as const)),
    resolveItems(deps, [...itemRefs.values()], deadline),
  ]);
  const patronOf = new Map(patrons);

  const prepared = req.holds.map((r, index): Prepared => {
    const where = `holds[${index}] (external_id ${r.externalId})`;
    const patron = patronOf.get(patronKey(r.patron!));
    if (!patron) throw new InvalidArgumentError([`${where}: patron ${r.patron!.barcode} not found in the patron service`]);
    const itemIds = new Map<string, string>();
    let titleId = r.titleId;
    let title = "";
    for (const ref of [r.item, r.trappedItem]) {
      if (!ref?.barcode) continue;
      const found = itemOf.get(refKey(ref));
      if (!found) throw new InvalidArgumentError([`${where}: item ${ref.barcode} not found in the item service`]);
      if (titleId !== "" && found.titleId !== titleId)
        throw new InvalidArgumentError([`${where}: item ${ref.barcode} belongs to title ${found.titleId}, not ${titleId}`]);
      titleId = found.titleId;
      title = found.title;
      itemIds.set(ref.barcode, found.itemId);
    }
    const institution = (r.item ?? r.trappedItem)?.institutionId || r.patron!.institutionId;
    return { index, record: r, code: holdTypeCode(r.holdType) as HoldTypeCode, key: { institution, titleId }, patron, title, itemIds };
  });
  await checkNotMoved(deps, prepared);

  const groups = new Map<string, Prepared[]>();
  for (const p of prepared) groups.set(queueStreamId(p.key.institution, p.key.titleId), [...(groups.get(queueStreamId(p.key.institution, p.key.titleId)) ?? []), p]);
  const total: Counts = { created: 0, updated: 0, unchanged: 0 };
  let appended = 0;
  for (const group of groups.values()) {
    group.sort((a, b) => (a.record.placedAt?.getTime() ?? 0) - (b.record.placedAt?.getTime() ?? 0));
    const key = group[0]!.key;
    const result = await runOnQueue(deps.db, key, (initial) => applyGroup(deps, initial, group, now), { institution: key.institution, ...IMPORT_METADATA });
    appended += result.appended;
    total.created += result.outcome.created;
    total.updated += result.outcome.updated;
    total.unchanged += result.outcome.unchanged;
  }
  if (appended > 0) deps.eventsCommitted();
  return total;
}

function check(r: holdpb.HoldRecord, i: number, now: Date): void {
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

/** An external id already imported into another title's queue cannot move: cancel it there first. */
async function checkNotMoved(deps: HoldDeps, prepared: readonly Prepared[]): Promise<void> {
  const ids = [...new Set(prepared.map((p) => p.record.externalId))];
  if (ids.length !== prepared.length) throw new InvalidArgumentError(["external_id values must be unique within a request"]);
  const rows = await deps.db.selectFrom("holds").select(["external_id", "stream_id"]).where("external_id", "in", ids).execute();
  const streamOf = new Map(rows.map((r) => [r.external_id, r.stream_id]));
  for (const p of prepared) {
    const stream = streamOf.get(p.record.externalId);
    if (stream !== undefined && stream !== queueStreamId(p.key.institution, p.key.titleId))
      throw new InvalidArgumentError([`holds[${p.index}] (external_id ${p.record.externalId}): already imported on another title (${stream})`]);
  }
}

function applyGroup(deps: HoldDeps, initial: QueueState, group: readonly Prepared[], now: Date) {
  let state = initial;
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  const out: HoldEvent[] = [];
  for (const p of group) {
    const existing = [...state.views.values()].find((v) => v.externalId === p.record.externalId);
    const { kind, events } = existing ? update(deps, state, p, existing, now) : create(deps, state, p, now);
    counts[kind]++;
    if (events.length === 0) continue;
    const recorded = withItemIds(events, p.itemIds);
    state = evolveQueueStateWith(state, recorded, now, IMPORT_METADATA);
    out.push(...recorded);
  }
  return { events: out, outcome: counts, at: now };
}

function create(deps: HoldDeps, state: QueueState, p: Prepared, now: Date) {
  const r = p.record;
  const holdId = uuidv7(now.getTime());
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
  if (TRAPPED.has(r.status)) events.push(...trapEvents(deps, state, p, holdId, r.pickupLocation, now));
  return { kind: "created" as const, events };
}

function update(deps: HoldDeps, state: QueueState, p: Prepared, v: HoldView, now: Date) {
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
  if (wantTrap !== null && !sameTrap) events.push(...trapEvents(deps, state, p, v.holdId, r.pickupLocation, now));
  if (sameTrap && r.status === holdpb.HoldStatus.AVAILABLE && r.pickupBy && r.pickupBy.getTime() !== v.pickupBy?.getTime())
    events.push(domainEvent("HoldShelved", { ...base, pickupLocation: r.pickupLocation, pickupBy: r.pickupBy, item: copyRef(p.key.institution, wantTrap) }));
  return { kind: events.length > 0 ? ("updated" as const) : ("unchanged" as const), events };
}

/** The old system says the copy is already trapped: recorded as a trap, on the shelf or in transit to the pickup location. */
function trapEvents(deps: HoldDeps, state: QueueState, p: Prepared, holdId: string, pickupLocation: string, now: Date): HoldEvent[] {
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
  return [trapped, domainEvent("HoldShelved", { ...base, pickupBy: r.pickupBy ?? new Date(shelfExpiry(now, deps.settings)) })];
}
