import type { EventStoreDatabase } from "@circulate/eventstore";
import type { ColumnType, Generated, Kysely } from "kysely";

export const ROLES = ["viewer", "circulation", "administrator"] as const;
export type Role = (typeof ROLES)[number];

export interface StaffTable {
  name: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash`; never leaves this process. */
  password_hash: string;
  active: boolean;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface StaffSessionsTable {
  /** SHA-256 (hex) of the session id; the id itself is only in the cookie. */
  id_hash: string;
  staff_name: string;
  csrf_token: string;
  address: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

export interface ConsoleDatabase extends EventStoreDatabase {
  staff: StaffTable;
  staff_sessions: StaffSessionsTable;
}

export type ConsoleDb = Kysely<ConsoleDatabase>;
