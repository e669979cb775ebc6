import pg from "pg";
import { type EventRow, type RecordedEvent, toRecordedEvent } from "./events.js";

// The relay's own Postgres session. It is a dedicated client, not a pooled
// connection, because (1) it holds a session-level advisory lock for as long as
// the relay is active, and (2) a pooled client that is checked out but idle has
// no 'error' listener, so a terminated backend would crash the process. All the
// relay's queries, checkpoint writes included, run on this session: a relay
// whose session died (and so lost the lock) cannot write a checkpoint.

/** How far a relay got: the commit sequence of the last event it published. */
export interface RelayCheckpoint {
  commitSeq: bigint;
}

export const START: RelayCheckpoint = { commitSeq: 0n };

/** An event ready to publish, with its position in commit order. */
export interface CommittedEvent {
  commitSeq: bigint;
  event: RecordedEvent;
}

/**
 * Advisory-lock namespace ("CIRC"); the second key is hashtext(relay name).
 * Two-int4 keys never collide with the single-bigint key of the commit-order
 * lock (Postgres keeps the two key spaces apart).
 */
const LOCK_NAMESPACE = 0x43495243;

/**
 * Opens the session. `onLost` hears the session end on its own (an 'error' outside a query, or
 * 'end'): a dedicated client with no 'error' listener would take the process down with it.
 */
export async function openSession(config: string | pg.ClientConfig, onLost: () => void): Promise<pg.Client> {
  const client = new pg.Client(config);
  client.on("error", onLost);
  client.on("end", onLost);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}

export async function tryLock(client: pg.Client, name: string): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(
    "SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked",
    [LOCK_NAMESPACE, name],
  );
  return rows[0]?.locked === true;
}

export async function unlock(client: pg.Client, name: string): Promise<void> {
  await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [LOCK_NAMESPACE, name]);
}

export async function loadCheckpoint(client: pg.Client, name: string): Promise<RelayCheckpoint> {
  const { rows } = await client.query<{ commit_seq: string }>(
    "SELECT commit_seq::text FROM relay_checkpoints WHERE name = $1",
    [name],
  );
  const row = rows[0];
  return row ? { commitSeq: BigInt(row.commit_seq) } : START;
}

export async function saveCheckpoint(client: pg.Client, name: string, at: RelayCheckpoint): Promise<void> {
  await client.query(
    `INSERT INTO relay_checkpoints (name, commit_seq) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET commit_seq = excluded.commit_seq, updated_at = now()`,
    [name, at.commitSeq.toString()],
  );
}

/**
 * The next committed events after `after`, in commit order.
 *
 * Why this never skips a transaction that commits late, and why the order is
 * commit order (the stamp is in migrations/0001-initial.ts):
 * - `commit_seq` is assigned at COMMIT by a deferred trigger that holds a
 *   transaction-level advisory lock until the transaction has ended. The next
 *   transaction can take its first value only after the previous holder's
 *   commit is visible to new snapshots. So values are handed out in commit
 *   order, and a transaction's own rows get consecutive values.
 * - Uncommitted rows have no `commit_seq` (the stamp is written inside the
 *   writing transaction), and are invisible to this session anyway.
 * - If this statement's snapshot sees value N, the transactions that took the
 *   values below N ended before N's transaction got the lock, hence before
 *   this snapshot was taken: their rows are visible here if they committed.
 *   A value below N that is not visible was taken by a transaction that
 *   aborted after the stamp (e.g. a later deferred constraint failed) and will
 *   never appear: gaps are permanent and safe to pass.
 * - So the committed events only ever grow at the end in `commit_seq` order.
 *   Publishing in that order and checkpointing the last value loses nothing,
 *   whereas ordering by global_position (taken at INSERT) would skip a
 *   transaction that took a low position and committed after later ones.
 * - A transaction held open holds back nothing but itself.
 */
// Hazard: ORDER BY must name the table's column. A bare name resolves to the
// `::text` output column first and would sort lexically ("10" < "9").
export async function readBatch(client: pg.Client, after: RelayCheckpoint, limit: number): Promise<CommittedEvent[]> {
  const { rows } = await client.query<EventRow & { commit_seq: string }>(
    `SELECT commit_seq::text, global_position::text, event_id, stream_id, stream_position, type,
            payload, metadata, occurred_at, recorded_at
       FROM events
      WHERE commit_seq > $1::bigint
      ORDER BY events.commit_seq
      LIMIT $2`,
    [after.commitSeq.toString(), limit],
  );
  return rows.map((row) => ({ commitSeq: BigInt(row.commit_seq), event: toRecordedEvent(row) }));
}
