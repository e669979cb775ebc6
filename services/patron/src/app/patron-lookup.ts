import type { common } from "@circulate/contracts";
import type { PatronDb, PatronRow } from "../adapters/db.js";

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

export async function findPatronById(db: PatronDb, patronId: string): Promise<PatronRow | undefined> {
  return db.selectFrom("patrons").selectAll().where("patron_id", "=", patronId).executeTakeFirst();
}
