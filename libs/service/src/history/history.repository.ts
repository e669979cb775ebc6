import type { EventStoreDatabase } from "@circulate/eventstore";
import { type Kysely, sql } from "kysely";
import type { RefusalRecord } from "./refusal.js";

/**
 * The store without the caller's plugins (a service's CamelCasePlugin would
 * rename the snake_case columns of these raw queries' rows).
 */
type Db = Kysely<EventStoreDatabase>;
const plain = <DB extends EventStoreDatabase>(db: Kysely<DB>): Db => (db as unknown as Db).withoutPlugins();

/** Keeps a refused command; a repeat of the same command id keeps nothing new. */
export async function insertRefusal<DB extends EventStoreDatabase>(db: Kysely<DB>, r: RefusalRecord): Promise<void> {
  await sql`
    INSERT INTO transaction_refusals (command_id, command_type, terminal_account, location, patron_institution, patron_barcode, patron_id,
      item_institution, item_barcode, title, reason, screen_message, due_at)
    VALUES (${r.command_id}, ${r.command_type}, ${r.terminal_account}, ${r.location}, ${r.patron_institution}, ${r.patron_barcode}, ${r.patron_id},
      ${r.item_institution}, ${r.item_barcode}, ${r.title}, ${r.reason}, ${r.screen_message}, ${r.due_at})
    ON CONFLICT (command_id) DO NOTHING`.execute(plain(db));
}

/**
 * Deletes refusals recorded before `cutoff`, at most `limit` per call (run it
 * periodically, like `deleteExpiredIdempotencyRecords`). Returns how many.
 */
export async function deleteRefusalsBefore<DB extends EventStoreDatabase>(db: Kysely<DB>, cutoff: Date, limit = 10_000): Promise<number> {
  const result = await sql`
    DELETE FROM transaction_refusals WHERE command_id IN (
      SELECT command_id FROM transaction_refusals WHERE recorded_at < ${cutoff} LIMIT ${limit})`.execute(plain(db));
  return Number(result.numAffectedRows ?? 0);
}

/** Whose history: a patron or an item, by institution and barcode. */
export interface HistorySubject {
  readonly kind: "patron" | "item";
  readonly institution: string;
  readonly barcode: string;
}

/** One row of a history, events and refusals alike. */
export interface HistoryRow {
  kind: "event" | "refusal";
  id: string;
  at: Date;
  type: string;
  terminal_account: string | null;
  location: string | null;
  patron_barcode: string | null;
  item_barcode: string | null;
  patron_institution: string | null;
  item_institution: string | null;
  /** Of the patron or item asked about. */
  institution: string | null;
  staff: string | null;
  title: string | null;
  due_at: Date | null;
  reason: string | null;
  screen_message: string | null;
}

/**
 * A patron's or an item's entries, newest first, at most `limit`, before
 * `before`. Events are found by what their payloads name: the ref
 * (`payload->'patron'` / `payload->'item'`, proto3 JSON) and the internal id
 * (`patronId` / `itemId`) that events naming the ref carry, so events that
 * name only the id (a renewal, a block) are found too. Each branch is one
 * lookup in a 0002 expression index; the ids are few.
 */
export async function listHistory<DB extends EventStoreDatabase>(db: Kysely<DB>, subject: HistorySubject, limit: number, before: Date | undefined): Promise<HistoryRow[]> {
  // Literals, not parameters: the planner matches them against the index expressions.
  const key = sql.lit(subject.kind);
  const idKey = sql.lit(subject.kind === "patron" ? "patronId" : "itemId");
  const refCol = subject.kind === "patron" ? sql.ref("patron_barcode") : sql.ref("item_barcode");
  const instCol = subject.kind === "patron" ? sql.ref("patron_institution") : sql.ref("item_institution");
  const until = before ?? new Date(8.64e15);
  const named = sql`e.payload ? ${key} AND e.payload->${key}->>'barcode' = ${subject.barcode} AND e.payload->${key}->>'institutionId' = ${subject.institution}`;
  const { rows } = await sql<HistoryRow>`
    WITH ids AS (
      SELECT DISTINCT e.payload->>${idKey} AS id FROM events e WHERE ${named} AND e.payload ? ${idKey}
      ${subject.kind === "patron" ? sql`UNION SELECT patron_id FROM transaction_refusals WHERE patron_barcode = ${subject.barcode} AND patron_institution = ${subject.institution} AND patron_id IS NOT NULL` : sql``}
    ), found AS (
      SELECT e.* FROM events e WHERE ${named}
      UNION ALL
      -- Those naming only the id; an event naming both was found above.
      -- An array rather than a join: the planner then looks each id up in the index instead of guessing the ids' count.
      SELECT e.* FROM events e WHERE e.payload ? ${idKey} AND e.payload->>${idKey} = ANY (ARRAY(SELECT id FROM ids)) AND (${named}) IS NOT TRUE
    ), refused AS (
      SELECT * FROM transaction_refusals WHERE ${refCol} = ${subject.barcode} AND ${instCol} = ${subject.institution}
      ${subject.kind === "patron" ? sql`UNION SELECT * FROM transaction_refusals WHERE patron_id = ANY (ARRAY(SELECT id FROM ids))` : sql``}
    )
    (SELECT 'event' AS kind, e.event_id::text AS id, e.occurred_at AS at, e.type,
       e.payload->>'terminalAccount' AS terminal_account, e.payload->>'location' AS location,
       e.payload->'patron'->>'barcode' AS patron_barcode, e.payload->'item'->>'barcode' AS item_barcode,
       e.payload->'patron'->>'institutionId' AS patron_institution, e.payload->'item'->>'institutionId' AS item_institution,
       coalesce(e.payload->${key}->>'institutionId', e.metadata->>'institution') AS institution,
       e.payload->>'staff' AS staff, e.payload->>'title' AS title, (e.payload->>'dueAt')::timestamptz AS due_at, NULL AS reason, NULL AS screen_message
     FROM found e
     WHERE e.occurred_at < ${until}
     ORDER BY e.occurred_at DESC, e.global_position DESC LIMIT ${limit})
    UNION ALL
    (SELECT 'refusal', command_id, recorded_at, command_type, terminal_account, location, patron_barcode, item_barcode,
       patron_institution, item_institution, ${instCol}, NULL, title, due_at, reason, screen_message
     FROM refused
     WHERE recorded_at < ${until}
     ORDER BY recorded_at DESC LIMIT ${limit})
    ORDER BY at DESC, kind, id DESC
    LIMIT ${limit}`.execute(plain(db));
  return rows;
}
