import type { Selectable } from "kysely";
import type { ConsoleDb, Role, StaffTable } from "./db.js";
import { hashPassword } from "./passwords.js";
import { bool, object, role, str } from "./views/schemas.js";

/** Staff names: what logs, events and the patron service's PinUnlocked record. */
export const STAFF_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$";

export const staffSchema = object({
  name: str,
  role,
  active: bool,
  createdAt: { type: "string", format: "date-time" },
  updatedAt: { type: "string", format: "date-time" },
});

export type StaffRow = Selectable<StaffTable>;

/** An account as the API shows it: no hash. */
export function staffView(row: StaffRow) {
  return { name: row.name, role: row.role, active: row.active, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}

export class StaffExistsError extends Error {
  override readonly name = "StaffExistsError";
}

export function findStaff(db: ConsoleDb, name: string): Promise<StaffRow | undefined> {
  return db.selectFrom("staff").selectAll().where("name", "=", name).executeTakeFirst();
}

export function listStaff(db: ConsoleDb): Promise<StaffRow[]> {
  return db.selectFrom("staff").selectAll().orderBy("name").execute();
}

export async function createStaff(db: ConsoleDb, account: { name: string; role: Role; password: string }): Promise<StaffRow> {
  const password_hash = await hashPassword(account.password);
  const row = await db
    .insertInto("staff")
    .values({ name: account.name, role: account.role, password_hash, active: true })
    .onConflict((c) => c.column("name").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new StaffExistsError(`staff account ${account.name} exists`);
  return row;
}

export interface StaffChange {
  role?: Role | undefined;
  active?: boolean | undefined;
  password?: string | undefined;
}

/**
 * Changes an account. A new password, a new role or switching it off ends the
 * account's sessions (in the same transaction), so what it may do changes now,
 * not at its next login. Refuses to leave no active administrator.
 */
export async function updateStaff(db: ConsoleDb, name: string, change: StaffChange): Promise<StaffRow | "not-found" | "last-administrator"> {
  const password_hash = change.password === undefined ? undefined : await hashPassword(change.password);
  return db.transaction().execute(async (trx) => {
    // Serialises account changes: two administrators demoting each other at once still leave one.
    await trx.selectFrom("staff").select("name").where("role", "=", "administrator").forUpdate().execute();
    const before = await trx.selectFrom("staff").selectAll().where("name", "=", name).executeTakeFirst();
    if (!before) return "not-found";
    const row = await trx
      .updateTable("staff")
      .set({
        ...(change.role !== undefined ? { role: change.role } : {}),
        ...(change.active !== undefined ? { active: change.active } : {}),
        ...(password_hash !== undefined ? { password_hash } : {}),
        updated_at: new Date(),
      })
      .where("name", "=", name)
      .returningAll()
      .executeTakeFirstOrThrow();
    const admins = await trx
      .selectFrom("staff")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("role", "=", "administrator")
      .where("active", "=", true)
      .executeTakeFirstOrThrow();
    if (Number(admins.n) === 0) {
      // Nothing was meant to change then: undo by failing the transaction.
      throw new LastAdministrator();
    }
    const ends = password_hash !== undefined || (change.role !== undefined && change.role !== before.role) || row.active === false;
    if (ends) await trx.deleteFrom("staff_sessions").where("staff_name", "=", name).execute();
    return row;
  }).catch((err) => {
    if (err instanceof LastAdministrator) return "last-administrator" as const;
    throw err;
  });
}

class LastAdministrator extends Error {}
