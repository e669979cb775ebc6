import type { common } from "@circulate/contracts";
import type { Insertable, Kysely } from "kysely";
import { ACTIVE_STATUSES, type HoldDb, type HoldsTable } from "./db.js";

/**
 * Reads and writes of the `holds` projection: one row per hold, kept by the
 * inline projection, so lookups find the queues a hold is in without reading
 * every stream. Decisions never rest on it: they fold the queue's stream.
 */

type Db = Kysely<HoldDb>;
export type HoldRow = Insertable<HoldsTable> & { updated_at: Date };

/** A title queue as the rows name it. */
export interface QueueRow {
  readonly institution_id: string;
  readonly title_id: string;
}

/** Writes a hold's row as the queue's events leave it. */
export async function putHold(db: Db, row: HoldRow): Promise<void> {
  await db
    .insertInto("holds")
    .values(row)
    .onConflict((oc) => oc.column("hold_id").doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
}

/** Queues with a hold past its expiry while waiting, or past its pickup date on the shelf. */
export async function queuesWithDueHolds(db: Db, now: Date, limit: number): Promise<QueueRow[]> {
  return db
    .selectFrom("holds")
    .select(["institution_id", "title_id"])
    .distinct()
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "waiting"), eb("expires_at", "<=", now)]),
        eb.and([eb("status", "=", "available"), eb("pickup_by", "<=", now)]),
      ]),
    )
    .limit(limit)
    .execute();
}

/** A patron's active holds with the copy each names or has trapped, by patron key or else by the patron service's id. */
export async function activeHoldsOf(db: Db, patron: { readonly patronKey: string } | { readonly patronId: string }) {
  const active = db
    .selectFrom("holds")
    .select(["patron_key", "institution_id", "title_id", "item_barcode", "trapped_item_barcode"])
    .where("status", "in", ACTIVE_STATUSES);
  return "patronKey" in patron ? active.where("patron_key", "=", patron.patronKey).execute() : active.where("patron_id", "=", patron.patronId).execute();
}

/** One hold's queue and patron, by its id (staff name a hold by id). */
export async function holdById(db: Db, holdId: string) {
  return db.selectFrom("holds").select(["hold_id", "institution_id", "title_id", "patron_key", "status"]).where("hold_id", "=", holdId).executeTakeFirst();
}

/** The queues in which a copy is trapped for an active hold. */
export async function queuesTrapping(db: Db, item: Pick<common.ItemRef, "institutionId" | "barcode">): Promise<QueueRow[]> {
  return db
    .selectFrom("holds")
    .select(["institution_id", "title_id"])
    .where("institution_id", "=", item.institutionId)
    .where("trapped_item_barcode", "=", item.barcode)
    .where("status", "in", ACTIVE_STATUSES)
    .execute();
}

function activeOf(db: Db, patronKey: string) {
  return db.selectFrom("holds").select(["institution_id", "title_id"]).where("patron_key", "=", patronKey).where("status", "in", ACTIVE_STATUSES);
}

/** The queue of the patron's active hold on a title, the earliest placed when several institutions queue it. */
export async function patronQueueOfTitle(db: Db, patronKey: string, titleId: string): Promise<QueueRow | undefined> {
  return activeOf(db, patronKey).where("title_id", "=", titleId).orderBy("placed_at").limit(1).executeTakeFirst();
}

/** The queue of the patron's active hold on this very copy, or for which it is trapped. */
export async function patronQueueOfCopy(db: Db, patronKey: string, copy: Pick<common.ItemRef, "institutionId" | "barcode">): Promise<QueueRow | undefined> {
  return activeOf(db, patronKey)
    .where("institution_id", "=", copy.institutionId)
    .where((eb) => eb.or([eb("item_barcode", "=", copy.barcode), eb("trapped_item_barcode", "=", copy.barcode)]))
    .limit(1)
    .executeTakeFirst();
}

/** The patron's active hold in one institution's queue for a title. */
export async function patronQueue(db: Db, patronKey: string, queue: { readonly institution: string; readonly titleId: string }): Promise<QueueRow | undefined> {
  return activeOf(db, patronKey).where("institution_id", "=", queue.institution).where("title_id", "=", queue.titleId).limit(1).executeTakeFirst();
}

/** The queues a patron has holds in (active ones only unless `includeClosed`). */
export async function queuesOfPatron(
  db: Db,
  patron: { readonly patronKey: string } | { readonly patronId: string },
  includeClosed: boolean,
): Promise<QueueRow[]> {
  let query = db.selectFrom("holds").select(["institution_id", "title_id"]).distinct();
  query = "patronKey" in patron ? query.where("patron_key", "=", patron.patronKey) : query.where("patron_id", "=", patron.patronId);
  if (!includeClosed) query = query.where("status", "in", ACTIVE_STATUSES);
  return query.execute();
}

/** The institutions that queue holds on a title. */
export async function institutionsQueueing(db: Db, titleId: string): Promise<string[]> {
  const rows = await db.selectFrom("holds").select("institution_id").distinct().where("title_id", "=", titleId).execute();
  return rows.map((r) => r.institution_id);
}

/** The stream each of these imported holds (by external id) is in. */
export async function streamsOfImported(db: Db, externalIds: readonly string[]): Promise<Map<string | null, string>> {
  const rows = await db.selectFrom("holds").select(["external_id", "stream_id"]).where("external_id", "in", externalIds).execute();
  return new Map(rows.map((r) => [r.external_id, r.stream_id]));
}
