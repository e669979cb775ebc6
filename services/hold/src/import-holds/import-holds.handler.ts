import { type common, type hold as holdpb, uuidv7 } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { streamsOfImported } from "../adapters/holds.repository.js";
import { refKey } from "../adapters/peer-facts.repository.js";
import { type HoldDeps, shelfExpiry } from "../app/command.support.js";
import { resolveItems } from "../app/item-facts.js";
import { runOnQueue } from "../app/queue.runner.js";
import { IMPORT_METADATA, queueStreamId } from "../app/queue.state.js";
import { type HoldTypeCode, holdTypeCode, patronKey } from "../domain/index.js";
import { checkRecord, decideImportGroup, type ImportCounts, type PreparedRecord } from "./import-holds.decider.js";

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
    checkRecord(r, i, now);
  });

  const patronRefs = new Map(req.holds.map((r) => [patronKey(r.patron!), r.patron!]));
  const itemRefs = new Map<string, common.ItemRef>();
  for (const r of req.holds) for (const ref of [r.item, r.trappedItem]) if (ref?.barcode) itemRefs.set(refKey(ref), ref);
  const [patrons, itemOf] = await Promise.all([
    Promise.all([...patronRefs].map(async ([k, ref]) => [k, await deps.peers.getPatron(ref, deadline)] as const)),
    resolveItems(deps, [...itemRefs.values()], deadline),
  ]);
  const patronOf = new Map(patrons);

  const prepared = req.holds.map((r, index): PreparedRecord => {
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

  const groups = new Map<string, PreparedRecord[]>();
  for (const p of prepared) groups.set(queueStreamId(p.key.institution, p.key.titleId), [...(groups.get(queueStreamId(p.key.institution, p.key.titleId)) ?? []), p]);
  const total: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  let appended = 0;
  for (const group of groups.values()) {
    group.sort((a, b) => (a.record.placedAt?.getTime() ?? 0) - (b.record.placedAt?.getTime() ?? 0));
    const key = group[0]!.key;
    const facts = { newHoldId: () => uuidv7(now.getTime()), shelfExpiresAt: new Date(shelfExpiry(now, deps.settings)) };
    const result = await runOnQueue(deps.db, key, (initial) => decideImportGroup(initial, group, now, facts), { institution: key.institution, ...IMPORT_METADATA });
    appended += result.appended;
    total.created += result.outcome.created;
    total.updated += result.outcome.updated;
    total.unchanged += result.outcome.unchanged;
  }
  if (appended > 0) deps.eventsCommitted();
  return total;
}

/** An external id already imported into another title's queue cannot move: cancel it there first. */
async function checkNotMoved(deps: HoldDeps, prepared: readonly PreparedRecord[]): Promise<void> {
  const ids = [...new Set(prepared.map((p) => p.record.externalId))];
  if (ids.length !== prepared.length) throw new InvalidArgumentError(["external_id values must be unique within a request"]);
  const streamOf = await streamsOfImported(deps.db, ids);
  for (const p of prepared) {
    const stream = streamOf.get(p.record.externalId);
    if (stream !== undefined && stream !== queueStreamId(p.key.institution, p.key.titleId))
      throw new InvalidArgumentError([`holds[${p.index}] (external_id ${p.record.externalId}): already imported on another title (${stream})`]);
  }
}
