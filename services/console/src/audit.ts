import { appendToStream, ConcurrencyError, type Event } from "@circulate/eventstore";
import { sql } from "kysely";
import type { ConsoleDb, Role } from "./db.js";
import type { ImportEvent } from "./imports/import-events.js";
import { int, object, str } from "./views/schemas.js";

/** How an action ended: done, refused by the service (not found, invalid…), or the service did not answer. */
export type ActionResult = "done" | "refused" | "failed";

export type StaffActionTaken = Event<
  "StaffActionTaken",
  { staff: string; role: Role | ""; action: string; target: string; reason?: string; result: ActionResult; detail?: string }
>;
export type StaffLoggedIn = Event<"StaffLoggedIn", { staff: string; role: Role; address: string }>;
export type StaffLoggedOut = Event<"StaffLoggedOut", { staff: string; role: Role }>;
/** `staff` is the name given, which may not be an account. */
export type StaffLoginFailed = Event<
  "StaffLoginFailed",
  { staff: string; address: string; reason: "unknown-or-wrong-password" | "inactive" | "throttled" }
>;

/** Everything the console records; never a password, a PIN or a hash. */
export type ConsoleEvent = StaffActionTaken | StaffLoggedIn | StaffLoggedOut | StaffLoginFailed | ImportEvent;

export const CONSOLE_EVENT_TYPES = ["StaffActionTaken", "StaffLoggedIn", "StaffLoggedOut", "StaffLoginFailed", "ImportStarted", "ImportFinished"] as const satisfies readonly ConsoleEvent["type"][];

/** The name the `add-staff` command records as the one who acted. */
export const COMMAND_LINE_STAFF = "(add-staff command)";

const MAX_ATTEMPTS = 5;

/**
 * Appends console events to the console's own store (the relay publishes them
 * on `<prefix>.evt.console.<Type>`). One stream per staff name: what one
 * person did, in order.
 */
export class AuditLog {
  constructor(
    private readonly db: ConsoleDb,
    private readonly committed: () => void = () => {},
  ) {}

  /** The last append of each stream this process started: one person's appends go one at a time. */
  readonly #tails = new Map<string, Promise<unknown>>();

  /**
   * One person's requests run at once (two tabs, a sign-out while their import
   * ends), and two appends to one stream would draw the same position. Appends
   * of this process to one stream therefore queue; a writer elsewhere (the
   * add-staff command) is met by appending again, since "any" asks for no
   * particular place in the stream.
   */
  async record(event: ConsoleEvent): Promise<void> {
    const stream = `staff-${event.data.staff}`;
    const append = (this.#tails.get(stream) ?? Promise.resolve()).catch(() => {}).then(() => this.#append(stream, event));
    this.#tails.set(stream, append);
    try {
      await append;
    } finally {
      if (this.#tails.get(stream) === append) this.#tails.delete(stream);
    }
    this.committed();
  }

  async #append(stream: string, event: ConsoleEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await appendToStream(this.db, stream, "any", [event]);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

export const auditEntrySchema = object(
  {
    eventId: str,
    type: str,
    occurredAt: { type: "string", format: "date-time" },
    position: int,
    staff: str,
    role: str,
    action: str,
    target: str,
    reason: str,
    result: str,
    detail: str,
    address: str,
  },
  ["role", "action", "target", "reason", "result", "detail", "address"],
);

/** The console's events, newest first, of one staff name or of everyone. */
export async function readAudit(db: ConsoleDb, options: { staff?: string | undefined; limit: number }) {
  let query = db
    .selectFrom("events")
    .select(["event_id", "type", "payload", "occurred_at", sql<string>`global_position::text`.as("position")])
    .orderBy("global_position", "desc")
    .limit(options.limit);
  if (options.staff !== undefined) query = query.where("stream_id", "=", `staff-${options.staff}`);
  const rows = await query.execute();
  return rows.map((r) => ({
    ...(r.payload as Record<string, unknown>),
    eventId: r.event_id,
    type: r.type,
    occurredAt: r.occurred_at.toISOString(),
    position: Number(r.position),
  }));
}
