import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { ConsoleDb, Role } from "./db.js";
import type { SessionPolicy } from "./settings.js";

/** A signed-in staff member, as a request's guard found them. */
export interface Session {
  readonly idHash: string;
  readonly staff: string;
  readonly role: Role;
  readonly csrfToken: string;
}

const hashId = (id: string) => createHash("sha256").update(id).digest("hex");

/**
 * Server-side sessions: the cookie carries a random 256-bit id, the database
 * its SHA-256 only. A session ends when unused for `idleMs`, `absoluteMs`
 * after login, at logout, or when its account is changed or switched off.
 */
export class Sessions {
  constructor(
    private readonly db: ConsoleDb,
    private readonly policy: SessionPolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(staff: string, address: string): Promise<{ id: string; csrfToken: string }> {
    const id = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(32).toString("base64url");
    const at = this.now();
    await this.db
      .insertInto("staff_sessions")
      .values({
        id_hash: hashId(id),
        staff_name: staff,
        csrf_token: csrfToken,
        address,
        created_at: at,
        last_seen_at: at,
        expires_at: new Date(at.getTime() + this.policy.absoluteMs),
      })
      .execute();
    return { id, csrfToken };
  }

  /**
   * The live session of a cookie's id (its idle clock restarted, unless `touch` is false: a
   * long-lived stream checking its session must not keep an unattended page signed in), or undefined.
   */
  async resolve(id: string | undefined, { touch = true }: { touch?: boolean } = {}): Promise<Session | undefined> {
    if (!id || id.length > 100) return undefined;
    const idHash = hashId(id);
    const at = this.now();
    if (!touch) {
      const row = await this.db
        .selectFrom("staff_sessions")
        .innerJoin("staff", "staff.name", "staff_sessions.staff_name")
        .select(["staff.name", "staff.role", "staff_sessions.csrf_token"])
        .where("staff_sessions.id_hash", "=", idHash)
        .where("staff_sessions.expires_at", ">", at)
        .where("staff_sessions.last_seen_at", ">", new Date(at.getTime() - this.policy.idleMs))
        .where("staff.active", "=", true)
        .executeTakeFirst();
      return row && { idHash, staff: row.name, role: row.role, csrfToken: row.csrf_token };
    }
    const row = await this.db
      .updateTable("staff_sessions")
      .from("staff")
      .set({ last_seen_at: at })
      .whereRef("staff.name", "=", "staff_sessions.staff_name")
      .where("staff_sessions.id_hash", "=", idHash)
      .where("staff_sessions.expires_at", ">", at)
      .where("staff_sessions.last_seen_at", ">", new Date(at.getTime() - this.policy.idleMs))
      .where("staff.active", "=", true)
      .returning(["staff.name", "staff.role", "staff_sessions.csrf_token"])
      .executeTakeFirst();
    if (!row) return undefined;
    return { idHash, staff: row.name, role: row.role, csrfToken: row.csrf_token };
  }

  async end(session: Session): Promise<void> {
    await this.db.deleteFrom("staff_sessions").where("id_hash", "=", session.idHash).execute();
  }

  /** Removes sessions past either expiry; they are refused anyway, this keeps the table small. */
  async sweep(): Promise<number> {
    const at = this.now();
    const res = await this.db
      .deleteFrom("staff_sessions")
      .where((eb) => eb.or([eb("expires_at", "<=", at), eb("last_seen_at", "<=", new Date(at.getTime() - this.policy.idleMs))]))
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(session: Session, header: string | string[] | undefined): boolean {
  if (typeof header !== "string") return false;
  const a = Buffer.from(header);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
