import type { JsMsg } from "@nats-io/jetstream";
import { type Kysely, sql, type Transaction } from "kysely";
import { isUniqueViolation } from "./errors.js";
import { type EventStoreDatabase, store } from "./schema.js";

/** What one batch did: applied, skipped as already applied, or failed (nothing committed). */
export type BatchResult = { ok: true; applied: number; duplicates: number } | { ok: false; error: unknown };

/**
 * Applies messages in stream order in ONE transaction with their dedupe
 * records and the checkpoint: a message whose id `processed_messages` holds is
 * skipped. Without `dedupe` (a handler for which applying a message again
 * changes nothing, e.g. a copy kept by stream position) no record is read or
 * kept, and `handleBatch`, when given, applies the batch in one go instead of
 * `handle` per message. One commit per batch instead of per message is what lets a
 * consumer keep up under load. A replica that committed one of the ids first
 * (unique violation) makes the batch go again one message at a time.
 */
export async function applyBatch<DB extends EventStoreDatabase>(
  db: Kysely<DB>,
  key: string,
  batch: readonly JsMsg[],
  messageId: (msg: JsMsg) => string,
  handle: (msg: JsMsg, trx: Transaction<DB>) => Promise<void>,
  dedupe = true,
  handleBatch?: (msgs: readonly JsMsg[], trx: Transaction<DB>) => Promise<void>,
): Promise<BatchResult> {
  const ids = batch.map(messageId);
  try {
    const applied = await db.transaction().execute(async (trx) => {
      const es = store(trx);
      if (!dedupe) {
        if (handleBatch) await handleBatch(batch, trx);
        else for (const msg of batch) await handle(msg, trx);
        await checkpoint(trx, key, batch);
        return batch.length;
      }
      const rows = await es.selectFrom("processed_messages").select("message_id").where("consumer", "=", key).where("message_id", "in", ids).execute();
      const seen = new Set(rows.map((r) => r.message_id));
      const fresh: { consumer: string; message_id: string; stream_sequence: number }[] = [];
      for (const [i, msg] of batch.entries()) {
        const id = ids[i]!;
        if (seen.has(id)) continue;
        seen.add(id);
        await handle(msg, trx);
        fresh.push({ consumer: key, message_id: id, stream_sequence: msg.seq });
      }
      if (fresh.length > 0) await es.insertInto("processed_messages").values(fresh).execute();
      await checkpoint(trx, key, batch);
      return fresh.length;
    });
    return { ok: true, applied, duplicates: batch.length - applied };
  } catch (error) {
    if (!isUniqueViolation(error, "processed_messages_pkey")) return { ok: false, error };
    // Another replica applied one of these first: only a message of its own can tell which.
    if (batch.length === 1) return { ok: true, applied: 0, duplicates: 1 };
    let applied = 0;
    let duplicates = 0;
    for (const msg of batch) {
      const one = await applyBatch(db, key, [msg], messageId, handle, dedupe, handleBatch);
      if (!one.ok) return one;
      applied += one.applied;
      duplicates += one.duplicates;
    }
    return { ok: true, applied, duplicates };
  }
}

/** Advances the consumer's checkpoint to the highest stream sequence in the batch. */
async function checkpoint<DB extends EventStoreDatabase>(trx: Transaction<DB>, key: string, batch: readonly JsMsg[]): Promise<void> {
  await store(trx)
    .insertInto("consumer_checkpoints")
    .values({ consumer: key, stream_sequence: Math.max(...batch.map((m) => m.seq)) })
    .onConflict((oc) =>
      oc.column("consumer").doUpdateSet({
        stream_sequence: sql`greatest(consumer_checkpoints.stream_sequence, excluded.stream_sequence)`,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}
