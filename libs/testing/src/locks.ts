import { withAdmin } from "./admin.js";

/**
 * Resolves once a session of the database at `url` waits on a lock: a write
 * racing another transaction's uncommitted row has reached it. Tests use it to
 * commit the other transaction only then, so the race is the one they mean.
 */
export async function blockedOnLock(url: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  await withAdmin(url, async (c) => {
    for (;;) {
      const { rows } = await c.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if ((rows[0]?.n ?? 0) > 0) return;
      if (Date.now() > until) throw new Error(`no session of ${new URL(url).pathname.slice(1)} waited on a lock within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  });
}
