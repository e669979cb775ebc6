import { publishCommand, type ReplySinkServer, startReplySink } from "@circulate/commandbus";
import {
  type AnyEvent,
  type Command,
  type commands,
  type common,
  type EventOf,
  eventCatalog,
  events,
  loan,
  newCommandEnvelope,
  packEvent,
  unpackEvent,
  uuidv7,
} from "@circulate/contracts";
import { type RecordedEvent, readStream } from "@circulate/eventstore";
import { eventStreamName, type RunningService, type ServiceConfig, startService } from "@circulate/service";
import { createTestDatabase, createTestNats, type TestDatabase, type TestNats } from "@circulate/testing";
import * as grpc from "@grpc/grpc-js";
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pino from "pino";
import type { LoanDatabase } from "../src/adapters/db.js";
import { loanService } from "../src/service.js";
import { type StandIns, startStandIns, World } from "./stand-ins.js";

/** The fixed "now" of the service's decisions: Wednesday 12 March 2025, 11:00 in New York (EDT). */
export const NOW = new Date("2025-03-12T15:00:00.000Z");
export const DAY_MS = 86_400_000;
export const terminal: common.Terminal = { account: "kiosk-1", institutionId: "MAIN", location: "MAIN-DESK" };

type Outcome = commands.Outcome;

export interface SendOptions {
  commandId?: string;
  terminalTime?: Date;
  timeoutMs?: number;
  deadline?: Date;
  /** Publish the same envelope this many times (redelivery); resolves with every reply. */
  times?: number;
}

/**
 * The loan service in-process on a fresh database and a private NATS corner,
 * with stand-in peers, a reply sink playing the gateway, and the Loans gRPC
 * API as the admin tools reach it.
 */
export class Harness {
  readonly world = new World();
  service!: RunningService<LoanDatabase>;
  loans!: loan.LoansClient;
  private database!: TestDatabase;
  private nats!: TestNats;
  private nc!: NatsConnection;
  private js!: JetStreamClient;
  private jsm!: JetStreamManager;
  private sink!: ReplySinkServer;
  private standIns!: StandIns;
  private position = 0;
  private readonly replies = new Map<string, { outcomes: Outcome[]; waiters: (() => void)[] }>();

  async start(): Promise<this> {
    [this.database, this.standIns] = await Promise.all([createTestDatabase(), startStandIns(this.world)]);
    this.nats = createTestNats();
    this.sink = await startReplySink({ onOutcome: (o) => this.received(o) });
    this.service = await startService(loanService({ defaultTimeZone: "America/New_York", now: () => NOW }), this.config(), {
      logger: pino({ level: "silent" }),
    });
    this.nc = await connect({ servers: this.nats.url });
    this.js = jetstream(this.nc);
    this.jsm = await jetstreamManager(this.nc);
    this.loans = new loan.LoansClient(this.service.grpcAddress, grpc.credentials.createInsecure());
    return this;
  }

  /** The service's configuration: its database, the private NATS corner, the stand-ins. */
  config(): ServiceConfig {
    return {
      postgresUrl: this.database.url,
      createDatabase: false,
      natsUrl: this.nats.url,
      subjectPrefix: this.nats.subjectPrefix,
      streamPrefix: this.nats.streamPrefix,
      grpcHost: "127.0.0.1",
      grpcPort: 0,
      opsHost: "127.0.0.1",
      opsPort: 0,
      peers: { patron: this.standIns.patron, item: "", hold: "", loan: "", fee: "" },
      logLevel: "silent",
      prettyLogs: false,
    };
  }

  /** Stops the service, runs `between`, and starts it again on the same database and streams. */
  async restart(between: () => Promise<void> = async () => {}): Promise<void> {
    this.loans.close();
    await this.service.stop();
    await between();
    this.service = await startService(loanService({ defaultTimeZone: "America/New_York", now: () => NOW }), this.config(), {
      logger: pino({ level: "silent" }),
    });
    this.loans = new loan.LoansClient(this.service.grpcAddress, grpc.credentials.createInsecure());
  }

  async stop(): Promise<void> {
    this.loans?.close();
    await this.service?.stop();
    await this.nc?.close();
    await this.sink?.close();
    await this.standIns?.close();
    await this.nats?.cleanup();
    await this.database?.drop();
  }

  private received(outcome: Outcome): boolean {
    const entry = this.entry(outcome.correlationId);
    entry.outcomes.push(outcome);
    for (const wake of entry.waiters.splice(0)) wake();
    return true;
  }

  private entry(correlationId: string) {
    let e = this.replies.get(correlationId);
    if (!e) {
      e = { outcomes: [], waiters: [] };
      this.replies.set(correlationId, e);
    }
    return e;
  }

  private async outcomes(correlationId: string, from: number, count: number): Promise<Outcome[]> {
    const entry = this.entry(correlationId);
    const deadline = Date.now() + 10_000;
    while (entry.outcomes.length < from + count) {
      if (Date.now() > deadline) throw new Error(`no reply for ${correlationId}`);
      await new Promise<void>((resolve) => {
        entry.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return entry.outcomes.slice(from, from + count);
  }

  /** Builds a command envelope as the gateway would. */
  envelope(command: Command, options: SendOptions = {}): commands.CommandEnvelope {
    const base = { command, terminal, replyTo: this.sink.address, commandId: options.commandId, terminalTime: options.terminalTime };
    return options.deadline ? newCommandEnvelope({ ...base, deadline: options.deadline }) : newCommandEnvelope({ ...base, timeoutMs: options.timeoutMs ?? 10_000 });
  }

  /**
   * Publishes what the world's items and holds became as the item and hold
   * services would: an event carrying each one as it now is.
   */
  async publishWorld(): Promise<void> {
    const { items, holds, patrons } = this.world.unpublished;
    for (const p of patrons.splice(0))
      await this.publishPeerEvent("patron", "PatronRegistered", { patronId: p.patronId, patron: { institutionId: "MAIN", barcode: p.barcode }, name: p.name });
    for (const it of items.splice(0)) await this.publishPeerEvent("item", "ItemDetailsUpdated", { itemId: it.itemId, item: it.item, current: it });
    for (const h of holds.splice(0)) await this.publishPeerEvent("hold", "HoldChanged", { holdId: h.holdId, patronId: h.patronId, titleId: h.titleId, current: h });
  }

  /**
   * An item or hold event as its service would publish it; `streamPosition`
   * defaults to one past the last this harness published (each world change is newer).
   */
  async publishPeerEvent<T extends "ItemDetailsUpdated" | "HoldChanged" | "PatronRegistered">(
    from: "item" | "hold" | "patron",
    type: T,
    event: Partial<EventOf<T>>,
    streamPosition = ++this.position,
  ): Promise<void> {
    const codec = eventCatalog.get(type)!.codec as unknown as { fromPartial(o: unknown): EventOf<T> };
    const envelope = events.EventEnvelope.create({ eventId: uuidv7(), streamPosition, institutionId: "MAIN", occurredAt: NOW, recordedAt: NOW, ...packEvent(type, codec.fromPartial(event)) });
    await this.js.publish(`${this.nats.subjectPrefix}.evt.${from}.${type}`, events.EventEnvelope.encode(envelope).finish(), { msgID: envelope.eventId });
  }

  /** Publishes an envelope on NATS (`times` times) and waits for as many replies. */
  async publish(envelope: commands.CommandEnvelope, times = 1): Promise<Outcome[]> {
    await this.publishWorld();
    const before = this.entry(envelope.correlationId).outcomes.length;
    for (let i = 0; i < times; i++) publishCommand(this.nc, envelope, this.nats.subjectPrefix);
    await this.nc.flush();
    return this.outcomes(envelope.correlationId, before, times);
  }

  async send(command: Command, options: SendOptions = {}): Promise<Outcome> {
    const [outcome] = await this.publish(this.envelope(command, options), options.times ?? 1);
    return outcome!;
  }

  stream(streamId: string): Promise<RecordedEvent[]> {
    return readStream(this.service.db, streamId);
  }

  loanRow(barcode: string) {
    return this.service.db.selectFrom("loans").selectAll().where("item_barcode", "=", barcode).executeTakeFirst();
  }

  /** The event as the relay published it to JetStream (waits for the relay). */
  async published(eventId: string): Promise<{ subject: string; envelope: events.EventEnvelope; event: AnyEvent }> {
    const stream = eventStreamName(this.nats.streamPrefix, "loan");
    const deadline = Date.now() + 10_000;
    for (;;) {
      const info = await this.jsm.streams.info(stream);
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        const msg = await this.jsm.streams.getMessage(stream, { seq }).catch(() => null);
        if (!msg || msg.header.get("Nats-Msg-Id") !== eventId) continue;
        const envelope = events.EventEnvelope.decode(msg.data);
        return { subject: msg.subject, envelope, event: unpackEvent(envelope) };
      }
      if (Date.now() > deadline) throw new Error(`event ${eventId} was not published`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  get subjectPrefix(): string {
    return this.nats.subjectPrefix;
  }

  get jetstream(): JetStreamClient {
    return this.js;
  }

  /** A unary call on the Loans API as a promise; rejects with the gRPC error. */
  async call<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, request: Req): Promise<Res> {
    await this.publishWorld();
    return new Promise((resolve, reject) => method.call(this.loans, request, (err, res) => (err ? reject(err) : resolve(res))));
  }
}

/** The accepted payload of an outcome, failing the test with the refusal otherwise. */
export function accepted<C extends string>(outcome: Outcome, $case: C) {
  const result = outcome.result;
  if (result?.$case !== "accepted") throw new Error(`expected acceptance, got ${JSON.stringify(result?.value)}`);
  const payload = result.value.payload;
  if (payload?.$case !== $case) throw new Error(`expected ${$case}, got ${payload?.$case}`);
  return payload.value as Extract<NonNullable<commands.Accepted["payload"]>, { $case: C }>["value"];
}

export function refused(outcome: Outcome): commands.Refused {
  const result = outcome.result;
  if (result?.$case !== "refused") throw new Error(`expected a refusal, got ${JSON.stringify(result?.value)}`);
  return result.value;
}
