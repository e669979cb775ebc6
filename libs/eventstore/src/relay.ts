import type { JetStreamClient } from "@nats-io/jetstream";
import type pg from "pg";
import type { RecordedEvent } from "./events.js";
import {
  loadCheckpoint,
  openSession,
  type RelayCheckpoint,
  readBatch,
  saveCheckpoint,
  tryLock,
  unlock,
} from "./relay-session.js";
import { Backoff } from "./backoff.js";
import { publishBatch } from "./relay-batch.js";
import { CheckpointWatch } from "./relay-standby.js";
import { Sleeper } from "./sleeper.js";

/** What the relay publishes for one event. `msgID` is always the event id. */
export interface RelayMessage {
  subject: string;
  data: Uint8Array | string;
  headers?: Record<string, string>;
}

/** The part of a JetStream client the relay uses. */
export type RelayPublisher = Pick<JetStreamClient, "publish">;

/** One event the relay handed to JetStream, with the stream's answer. */
export interface PublishedEvent {
  event: RecordedEvent;
  /** The event's position in commit order (the relay's order and checkpoint). */
  commitSeq: bigint;
  /** Stream sequence of the stored message. */
  seq: number;
  /** True when JetStream recognised the msgID as already stored (a re-publish). */
  duplicate: boolean;
}

/** Options of {@link startRelay}. */
export interface RelayOptions {
  /**
   * Connection string or config for the relay's own Postgres session (not the
   * pool: it holds a session advisory lock while active).
   */
  database: string | pg.ClientConfig;
  /** JetStream client (`jetstream(nc)`). */
  js: RelayPublisher;
  /** Maps an event to subject, payload and headers (JSON, protobuf…). May be async. */
  toMessage: (event: RecordedEvent) => RelayMessage | Promise<RelayMessage>;
  /** Checkpoint and lock name; one active relay per name and database. Default "default". */
  name?: string;
  /** Events read and published per checkpoint. Default 100. */
  batchSize?: number;
  /** Pause when caught up (cut short by {@link Relay.wake}). Default 100 ms. */
  pollIntervalMs?: number;
  /** How often a standby retries the lock. Default 1000 ms. */
  standbyRetryMs?: number;
  /**
   * First pause after an error before reconnecting and retrying; it doubles (with jitter) on
   * each further failure up to `maxErrorBackoffMs`, and resets once the relay works again.
   * Default 250 ms.
   */
  errorBackoffMs?: number;
  /** Longest pause between retries: bounds how late the relay notices a dependency is back. Default 2000 ms. */
  maxErrorBackoffMs?: number;
  /** PubAck timeout per message. Default: the JetStream client's. */
  publishTimeoutMs?: number;
  /** Each error the relay retries after (it keeps running, forever). Default: console.error. */
  onError?: (error: unknown) => void;
  /** The relay works again after one or more errors (a batch went through, or the lock answered). */
  onRecovered?: () => void;
  /** After each checkpointed batch; for metrics and tests. */
  onPublished?: (batch: readonly PublishedEvent[]) => void;
}

/** How often a standby asks for the active relay's checkpoint while a reply waits. */
const STANDBY_POLL_MS = 20;

/** A running relay. */
export interface Relay {
  readonly name: string;
  /** "standby" while another process holds the lock (or while reconnecting). */
  readonly state: "standby" | "active" | "stopped";
  /** Last checkpoint this relay wrote or loaded; undefined before it was active. */
  readonly checkpoint: RelayCheckpoint | undefined;
  /** Poll now instead of waiting out the interval (call after a commit). */
  wake(): void;
  /**
   * Resolves true once everything committed before the call is on the stream,
   * false when that takes longer than `budgetMs` or the relay has no session.
   * A standby tells from the active relay's checkpoint: a reply of any replica
   * waits for its events, whichever replica's relay publishes them.
   */
  published(budgetMs: number): Promise<boolean>;
  /** Finishes the batch in flight, checkpoints, releases the lock and closes the session. */
  stop(): Promise<void>;
}

/**
 * Starts publishing committed events to JetStream in commit order (see
 * `readBatch` for why that order is exact and nothing is ever skipped), with
 * `msgID` = event id so that JetStream drops re-publishes inside the stream's
 * duplicate window.
 *
 * At least once: the checkpoint is written after each batch (or the published
 * part of a failed one), so a relay that dies re-publishes at most one batch.
 * A batch's messages are all in flight at once once the acks say where the
 * stream ends (waiting for each PubAck in turn made the relay the slowest step
 * of a bulk import), and still land in commit order: see `publishBatch`.
 *
 * Every replica may run it; a session-level advisory lock keeps exactly one
 * active and the others on standby for failover.
 */
export function startRelay(options: RelayOptions): Relay {
  const name = options.name ?? "default";
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const standbyRetryMs = options.standbyRetryMs ?? 1_000;
  const backoff = new Backoff(options.errorBackoffMs ?? 250, options.maxErrorBackoffMs ?? 2_000);
  const onError = options.onError ?? ((error: unknown) => console.error(`relay ${name}:`, error));
  const sleeper = new Sleeper();
  let failing = false;
  const failed = (error: unknown) => {
    failing = true;
    onError(error);
  };
  const working = () => {
    if (!failing) return;
    failing = false;
    backoff.reset();
    options.onRecovered?.();
  };
  let state: Relay["state"] = "standby";
  // Waiters on a read that starts after they asked: `after` = reads started when they did.
  let reads = 0;
  let waiters: Array<{ after: number; done: (ok: boolean) => void }> = [];
  const settle = (read: number | null) => {
    const still: typeof waiters = [];
    for (const w of waiters) {
      if (read === null) w.done(false);
      else if (w.after < read) w.done(true);
      else still.push(w);
    }
    waiters = still;
  };
  let checkpoint: RelayCheckpoint | undefined;
  /** A standby's answers to `published`, on the relay's own session while it has one. */
  let watch: CheckpointWatch | undefined;
  let stopping = false;
  /** The stream's last sequence as the last batch's acks tell it; unknown at first and after any failure. */
  let streamLast: number | undefined;
  const publisher = { js: options.js, toMessage: options.toMessage, publishTimeoutMs: options.publishTimeoutMs, stopping: () => stopping };

  /** Publishes while holding the lock; returns on stop, throws on any failure. */
  async function pump(client: pg.Client): Promise<void> {
    let at = await loadCheckpoint(client, name);
    checkpoint = at;
    // Another replica may have published meanwhile: learn where the stream ends again.
    streamLast = undefined;
    while (!stopping) {
      const read = ++reads;
      const batch = await readBatch(client, at, batchSize);
      const { published, failure, streamLast: after } = await publishBatch(publisher, batch, streamLast);
      streamLast = after;
      const last = published.at(-1);
      if (last) {
        at = { commitSeq: last.commitSeq };
        await saveCheckpoint(client, name, at);
        checkpoint = at;
        options.onPublished?.(published);
      }
      if (failure !== undefined) throw failure;
      working();
      if (batch.length < batchSize) {
        // Caught up: whatever was committed before this read began is published.
        settle(read);
        await sleeper.sleep(pollIntervalMs);
      }
    }
  }

  async function run(): Promise<void> {
    while (!stopping) {
      let client: pg.Client | undefined;
      try {
        // The session died (the backend was terminated, the server stopped): the lock is gone
        // with it. Wake up so the next query fails at once and we reconnect.
        client = await openSession(options.database, () => sleeper.interrupt());
        watch = new CheckpointWatch(client, name, STANDBY_POLL_MS);
        while (!stopping) {
          if (!(await tryLock(client, name))) {
            working();
            await sleeper.sleep(standbyRetryMs);
            continue;
          }
          state = "active";
          try {
            await pump(client);
          } finally {
            state = "standby";
            settle(null);
            await unlock(client, name).catch(() => {});
          }
        }
      } catch (error) {
        if (!stopping) failed(error);
      } finally {
        watch?.close();
        watch = undefined;
        await client?.end().catch(() => {});
      }
      if (!stopping) await sleeper.sleep(backoff.next());
    }
  }

  const done = run().finally(() => {
    state = "stopped";
    settle(null);
  });

  return {
    name,
    get state() {
      return state;
    },
    get checkpoint() {
      return checkpoint;
    },
    wake: () => sleeper.wake(),
    published: (budgetMs) => {
      if (state === "standby" && watch) return watch.reaches(budgetMs);
      if (state !== "active") return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w.done !== done);
          resolve(false);
        }, budgetMs);
        const done = (ok: boolean) => {
          clearTimeout(timer);
          resolve(ok);
        };
        waiters.push({ after: reads, done });
        sleeper.wake();
      });
    },
    stop: async () => {
      stopping = true;
      sleeper.wake();
      await done;
    },
  };
}
