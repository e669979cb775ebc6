import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from "@nats-io/jetstream";
import { whileJetStreamSettles } from "@circulate/runtime";
import { type Kysely, sql, type Transaction } from "kysely";
import { Backoff } from "./backoff.js";
import { ConsumerPosition } from "./consumer-position.js";
import { applyBatch } from "./consumer-batch.js";
import { type EventStoreDatabase, store } from "./schema.js";
import { Sleeper } from "./sleeper.js";


/**
 * How long one pull request waits on the server before the client makes a new one; also the
 * client's pause between checks while a consumer has no leader (a NATS node died).
 */
const PULL_EXPIRES_MS = 2_000;
/** The server's heartbeat on an idle pull; two missed ones and the client pulls again. */
const PULL_HEARTBEAT_MS = 500;
/** Options of {@link startConsumer}. */
export interface ConsumerOptions<DB extends EventStoreDatabase> {
  db: Kysely<DB>;
  js: JetStreamClient;
  /** JetStream stream to consume. */
  stream: string;
  /** Durable consumer, shared by all replicas (each message goes to one of them). */
  durableName: string;
  filterSubjects?: string[];
  /**
   * Applies one message inside the transaction that also records it as
   * processed. Throwing rolls everything back and naks the message.
   */
  handle: (msg: JsMsg, trx: Transaction<DB>) => Promise<void>;
  /**
   * Applies a whole batch (in stream order) instead of `handle` per message;
   * only with `dedupe: false`, where applying a message again changes nothing:
   * a copy kept by upserts writes a batch in one statement.
   */
  handleBatch?: (msgs: readonly JsMsg[], trx: Transaction<DB>) => Promise<void>;
  /**
   * Dedupe key. Default: the `Nats-Msg-Id` header (the event id for messages
   * from the relay), else `<stream>:<stream sequence>`.
   */
  messageId?: (msg: JsMsg) => string;
  /**
   * Messages this consumer acts on; the others are acknowledged without a
   * transaction (they would change nothing). Default: every message.
   */
  wants?: (msg: JsMsg) => boolean;
  /**
   * Keep `processed_messages` so each message is applied once (default). Off
   * for handlers that change nothing when applied again (a copy kept by stream
   * position): two statements fewer per batch.
   */
  dedupe?: boolean;
  /**
   * The JetStream API the position is asked of (lag, read-your-writes barrier),
   * and the messages pulled through. Give it a short request timeout: a question
   * lost while NATS restarts or elects leaders would otherwise hold every barrier,
   * and the pulls, for the default timeout. Default: the client's.
   */
  positionApi?: () => Promise<JetStreamManager>;
  /** Key of this consumer's rows in `processed_messages` / `consumer_checkpoints`. Default `<stream>/<durableName>`. */
  checkpointName?: string;
  /** Pause before a failed batch is tried again (its messages one at a time). Default 1000 ms. */
  nakDelayMs?: number;
  /**
   * Server-side ack wait before an unacknowledged message is redelivered: how
   * long messages a killed consumer had taken wait before another applies them
   * (until then, barriers on this consumer wait, and a kiosk's request with
   * them). Queued messages are told "in progress" well within it. Default 2 s.
   */
  ackWaitMs?: number;
  /** Messages pulled ahead of processing, and the most applied in one transaction. Default 100. */
  maxMessages?: number;
  /** Extra consumer settings used on creation (max_deliver, deliver_policy…). */
  config?: Partial<ConsumerConfig>;
  /** Each failure (the consumer keeps running, forever). Default: console.error. */
  onError?: (error: unknown, msg?: JsMsg) => void;
  /** The consumer works again after one or more failures (it is pulling, or a message was applied). */
  onRecovered?: () => void;
}

/** A running durable consumer. */
export interface DurableConsumer {
  readonly checkpointName: string;
  /** Messages applied, skipped as duplicates, not wanted (acknowledged unread), and failed by this instance. */
  readonly stats: { processed: number; duplicates: number; skipped: number; failed: number };
  /** Where it stands on the stream (lag, read-your-writes barrier). */
  readonly position: ConsumerPosition;
  /** Finishes the message in flight, naks what was pulled but not started, stops pulling. */
  stop(): Promise<void>;
}

const NANOS_PER_MS = 1_000_000;

/**
 * Filter settings for the server: one subject goes in `filter_subject`, which
 * servers before 2.10 understand (the Debian nats-server here is 2.9); only
 * several subjects need `filter_subjects` (2.10+).
 */
function filterConfig(subjects: readonly string[] | undefined): Partial<ConsumerConfig> {
  if (!subjects || subjects.length === 0) return {};
  return subjects.length === 1 ? { filter_subject: subjects[0]! } : { filter_subjects: [...subjects] };
}

/** Creates the durable pull consumer if missing, or updates its filter. */
async function ensureConsumer(
  js: JetStreamClient,
  stream: string,
  cfg: Partial<ConsumerConfig>,
  subjects: readonly string[] | undefined,
): Promise<void> {
  const jsm = await js.jetstreamManager();
  const durable = cfg.durable_name!;
  try {
    const info = await jsm.consumers.info(stream, durable);
    const have = info.config.filter_subjects ?? (info.config.filter_subject ? [info.config.filter_subject] : []);
    const want = subjects ?? [];
    const filterChanged = want.join("\n") !== have.join("\n");
    const ackWaitChanged = cfg.ack_wait !== undefined && info.config.ack_wait !== cfg.ack_wait;
    if (filterChanged || ackWaitChanged)
      await jsm.consumers.update(stream, durable, { ...filterConfig(subjects), ...(ackWaitChanged ? { ack_wait: cfg.ack_wait } : {}) });
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(stream, { ...cfg, ...filterConfig(subjects) });
  }
}

/**
 * Consumes a JetStream stream with a durable pull consumer and applies each
 * message exactly once to Postgres, in stream order, in batches: one
 * transaction per batch skips messages whose `(consumer, message id)` is in
 * `processed_messages`, runs `handle` for the others, records their ids and
 * advances `consumer_checkpoints` to the highest stream sequence applied
 * (JetStream's ack floor is the contiguous truth). Acks are sent only after
 * commit; a failed batch is tried again after `nakDelayMs`, before anything
 * that followed it.
 *
 * Events the handler appends are published in its transaction's commit order
 * like any others. A replica that races us on a redelivered message loses on the primary key and
 * just acks. `consumer_checkpoints` is one row per consumer, so replicas'
 * commits on it serialise; JetStream's ack state remains the delivery truth.
 */
export async function startConsumer<DB extends EventStoreDatabase>(options: ConsumerOptions<DB>): Promise<DurableConsumer> {
  const { db, js, stream, durableName } = options;
  if (options.handleBatch && options.dedupe !== false) throw new Error(`consumer ${durableName}: handleBatch needs dedupe: false`);
  const key = options.checkpointName ?? `${stream}/${durableName}`;
  const nakDelayMs = options.nakDelayMs ?? 1_000;
  const maxBatch = options.maxMessages ?? 100;
  const ackWaitMs = options.ackWaitMs ?? 2_000;
  const onError = options.onError ?? ((error: unknown) => console.error(`consumer ${key}:`, error));
  const messageId =
    options.messageId ?? ((msg: JsMsg) => msg.headers?.get("Nats-Msg-Id") || `${msg.info.stream}:${msg.seq}`);
  const stats = { processed: 0, duplicates: 0, skipped: 0, failed: 0 };
  let manager: Promise<JetStreamManager> | undefined;
  const position = new ConsumerPosition(options.positionApi ?? (() => (manager ??= js.jetstreamManager())), stream, durableName);
  const sleeper = new Sleeper();
  // Retries of the pull loop back off up to 2 s: a NATS outage of minutes costs a retry every
  // couple of seconds, and the consumer resumes at most that long after NATS is back.
  const backoff = new Backoff(250, 2_000);
  let failing = false;
  const failed = (error: unknown, msg?: JsMsg) => {
    failing = true;
    onError(error, msg);
  };
  const working = () => {
    if (!failing) return;
    failing = false;
    backoff.reset();
    options.onRecovered?.();
  };
  let stopping = false;
  let messages: ConsumerMessages | undefined;

  const ensure = () =>
    ensureConsumer(
      js,
      stream,
      {
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: ackWaitMs * NANOS_PER_MS,
        ...options.config,
        durable_name: durableName,
      },
      options.filterSubjects,
    );
  // Started together with its NATS cluster, the stream may have no leader yet: wait, do not exit.
  await whileJetStreamSettles(ensure);

  // After a failed batch, messages go one at a time until one succeeds: a message that cannot be
  // applied then holds up only itself, and its batch-mates' order is kept.
  let isolate = false;

  /**
   * Applies what the iterator delivers in batches (whatever arrived while the
   * previous batch was being applied, up to `maxBatch`): idle, a message is
   * applied alone at once. A failed batch stays at the head of the queue and is
   * tried again here after `nakDelayMs` (its messages told "in progress" so the
   * server does not redeliver them meanwhile), so nothing after it is applied
   * first: stream order is what lets projections skip an event older than the
   * one they hold. Returns when the iterator ends or on stop, giving back in
   * order what was not applied.
   */
  async function drain(iterator: ConsumerMessages): Promise<void> {
    const queue: JsMsg[] = [];
    let signal: (() => void) | undefined;
    let ended = false;
    const reader = (async () => {
      try {
        for await (const msg of iterator) {
          queue.push(msg);
          signal?.();
        }
      } finally {
        ended = true;
        signal?.();
      }
    })();
    let toldWorking = Date.now();
    while (!stopping) {
      // Messages waiting behind a slow batch must not be redelivered meanwhile.
      if (Date.now() - toldWorking > ackWaitMs / 3) {
        for (const msg of queue) msg.working();
        toldWorking = Date.now();
      }
      if (queue.length === 0) {
        if (ended) break;
        await new Promise<void>((resolve) => {
          signal = resolve;
        });
        signal = undefined;
        continue;
      }
      const batch = queue.slice(0, isolate ? 1 : maxBatch);
      const wanted = options.wants ? batch.filter(options.wants) : batch;
      const done = wanted.length > 0 ? await applyBatch(db, key, wanted, messageId, options.handle, options.dedupe ?? true, options.handleBatch) : ({ ok: true, applied: 0, duplicates: 0 } as const);
      if (done.ok) {
        queue.splice(0, batch.length);
        for (const msg of batch) msg.ack();
        stats.processed += done.applied;
        stats.duplicates += done.duplicates;
        stats.skipped += batch.length - wanted.length;
        isolate = false;
        position.applied(batch.map((msg) => msg.seq));
        working();
        continue;
      }
      stats.failed += batch.length;
      failed(done.error, batch[0]);
      isolate = true;
      for (const msg of queue) msg.working();
      await sleeper.sleep(nakDelayMs);
    }
    await iterator.close();
    await reader.catch(() => {});
    for (const msg of queue.splice(0)) msg.nak();
  }

  // The message iterator can end (the connection closed, the consumer went away) or throw; either
  // way a new one is made, after a backoff, for as long as the consumer is not stopped. The
  // durable consumer on the server keeps the position, so it resumes where it was.
  async function run(): Promise<void> {
    while (!stopping) {
      try {
        // Deleted on the server (a projection being rebuilt from the stream): made again, from the start.
        if (failing) await ensure();
        // Pulled through the position API's context: its short request timeout is also how long
        // the client's check after missed heartbeats waits on a consumer whose leader is gone.
        const consumer = await (options.positionApi ? (await options.positionApi()).jetstream() : js).consumers.get(stream, durableName);
        // A pull request lives on the consumer's leader: when that NATS node dies, the request dies
        // with it and only missed heartbeats tell. Short ones make a new leader serve us within ~1 s.
        messages = await consumer.consume({ max_messages: maxBatch, expires: PULL_EXPIRES_MS, idle_heartbeat: PULL_HEARTBEAT_MS });
        working();
        if (stopping) await messages.close();
        await drain(messages);
        if (!stopping) failed(new Error(`consumer ${key}: message iterator ended; re-creating it`));
      } catch (error) {
        if (!stopping) failed(error);
      }
      if (!stopping) await sleeper.sleep(backoff.next());
    }
  }

  const done = run();
  return {
    checkpointName: key,
    stats,
    position,
    stop: async () => {
      stopping = true;
      sleeper.wake();
      await messages?.close();
      await done;
    },
  };
}

/** Deletes dedupe records older than `before`, at most `limit` per call. Keep them longer than any redelivery can take. */
export async function deleteProcessedMessagesBefore<DB extends EventStoreDatabase>(
  db: Kysely<DB>,
  before: Date,
  limit = 10_000,
): Promise<number> {
  const result = await sql`
    DELETE FROM processed_messages WHERE ctid IN (
      SELECT ctid FROM processed_messages WHERE processed_at < ${before} LIMIT ${limit})`.execute(store(db));
  return Number(result.numAffectedRows ?? 0);
}

/** Highest stream sequence the consumer has processed (0 if none). */
export async function readConsumerCheckpoint<DB extends EventStoreDatabase>(db: Kysely<DB>, checkpointName: string): Promise<number> {
  const row = await store(db)
    .selectFrom("consumer_checkpoints")
    .select("stream_sequence")
    .where("consumer", "=", checkpointName)
    .executeTakeFirst();
  return row ? Number(row.stream_sequence) : 0;
}
