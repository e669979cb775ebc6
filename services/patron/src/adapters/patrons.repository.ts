import type { common } from "@circulate/contracts";
import { sql } from "kysely";
import type { RegisteredPatron } from "../domain/index.js";
import type { PatronDb, PatronRow, PatronTrx } from "./db.js";

/**
 * Finds a patron by the ref a kiosk or a peer sent: the barcode in the named
 * institution, or else, when that institution belongs to a consortium, the
 * one patron with that barcode among the other members (a MAIN patron at an
 * EAST kiosk). Two members with the same barcode are ambiguous: not found,
 * rather than guess whose card it is. A terminal limited to its own institution
 * (`own_institution_only`) gets the exact match only.
 */
export async function findPatron(db: PatronDb, ref: common.PatronRef): Promise<PatronRow | undefined> {
  const exact = await db
    .selectFrom("patrons")
    .selectAll()
    .where("institution_id", "=", ref.institutionId)
    .where("barcode", "=", ref.barcode)
    .executeTakeFirst();
  if (exact || ref.ownInstitutionOnly) return exact;
  const members = await db
    .selectFrom("patrons as p")
    .innerJoin("institutions as i", "i.institution_id", "p.institution_id")
    .selectAll("p")
    .where("p.barcode", "=", ref.barcode)
    .where("i.consortium_id", "<>", "")
    .where("i.consortium_id", "=", (eb) =>
      eb.selectFrom("institutions").select("consortium_id").where("institution_id", "=", ref.institutionId),
    )
    .limit(2)
    .execute();
  return members.length === 1 ? members[0] : undefined;
}

/**
 * Patrons of one institution whose name starts with `prefix`, compared in
 * lower case, by name then barcode; at most `limit`. `%`, `_` and `\` in the
 * prefix match themselves. Served by `patrons_name_prefix_idx`.
 */
export async function searchPatronsByName(db: PatronDb, institution: string, prefix: string, limit: number): Promise<PatronRow[]> {
  const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .selectFrom("patrons")
    .selectAll()
    .where("institution_id", "=", institution)
    .where(sql<string>`lower(name)`, "like", sql<string>`lower(${escaped}) || '%'`)
    .orderBy(sql`lower(name)`)
    .orderBy("barcode")
    .limit(limit)
    .execute();
}

export async function findPatronById(db: PatronDb, patronId: string): Promise<PatronRow | undefined> {
  return db.selectFrom("patrons").selectAll().where("patron_id", "=", patronId).executeTakeFirst();
}

/** The `patrons` row of a registered patron (inline projection: always the state after the append). */
export async function savePatron(trx: PatronTrx, state: RegisteredPatron, streamId: string, version: number): Promise<void> {
  const r = state.record;
  const row = {
    patron_id: state.patronId,
    institution_id: state.id.institution,
    barcode: state.id.barcode,
    stream_id: streamId,
    name: r.name,
    patron_type: r.patronType,
    home_institution: r.homeInstitution,
    expiry_date: r.expiryDate,
    email: r.email,
    phone: r.phone,
    address: r.address,
    birth_date: r.birthDate,
    language: r.language,
    blocked: state.block !== null,
    block_message: state.block?.message ?? "",
    block_card_retained: state.block?.cardRetained ?? false,
    block_terminal: state.block?.terminalAccount ?? "",
    card_lost: state.cardLost,
    pin_set: state.pin.hash !== null,
    pin_failures: state.pin.consecutiveFailures,
    pin_locked: state.pin.locked,
    version,
    updated_at: new Date(),
  };
  const { patron_id: _id, ...changes } = row;
  await trx
    .insertInto("patrons")
    .values(row)
    .onConflict((oc) => oc.column("patron_id").doUpdateSet(changes))
    .execute();
}
