import { type Command, type commands, type common, type EventOf, loan } from "@circulate/contracts";
import { type RecordedEvent, readStream } from "@circulate/eventstore";
import { eventStreamName, type RunningService, type ServiceConfig, startService } from "@circulate/service";
import { GatewayStandIn, publishedEvent, publishPeerEvent, type TestSendOptions, testServiceConfig } from "@circulate/service/testing";
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

/**
 * The loan service in-process on a fresh database and a private NATS corner,
 * with stand-in peers, the gateway's stand-in, and the Loans gRPC API as the
 * admin tools reach it. What the world's peers changed is published before
 * each command or call.
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
  private gateway!: GatewayStandIn;
  private standIns!: StandIns;
  private position = 0;

  async start(): Promise<this> {
    [this.database, this.standIns] = await Promise.all([createTestDatabase(), startStandIns(this.world)]);
    this.nats = createTestNats();
    await this.startService();
    this.nc = await connect({ servers: this.nats.url });
    this.js = jetstream(this.nc);
    this.jsm = await jetstreamManager(this.nc);
    this.gateway = await GatewayStandIn.start(this.nc, this.nats.subjectPrefix, terminal);
    return this;
  }

  /** The service's configuration: its database, the private NATS corner, the stand-ins. */
  config(): ServiceConfig {
    return testServiceConfig({ database: this.database, nats: this.nats, peers: { patron: this.standIns.patron } });
  }

  /** Stops the service, runs `between`, and starts it again on the same database and streams. */
  async restart(between: () => Promise<void> = async () => {}): Promise<void> {
    this.loans.close();
    await this.service.stop();
    await between();
    await this.startService();
  }

  async stop(): Promise<void> {
    this.loans?.close();
    await this.service?.stop();
    await this.gateway?.close();
    await this.nc?.close();
    await this.standIns?.close();
    await this.nats?.cleanup();
    await this.database?.drop();
  }

  private async startService(): Promise<void> {
    const definition = loanService({ defaultTimeZone: "America/New_York", now: () => NOW });
    this.service = await startService(definition, this.config(), { logger: pino({ level: "silent" }) });
    this.loans = new loan.LoansClient(this.service.grpcAddress, grpc.credentials.createInsecure());
  }

  /** Builds a command envelope as the gateway would. */
  envelope(command: Command, options: TestSendOptions = {}): commands.CommandEnvelope {
    return this.gateway.envelope(command, options);
  }

  /**
   * Publishes what the world's items and holds became as the item and hold
   * services would: an event carrying each one as it now is.
   */
  async publishWorld(): Promise<void> {
    const { items, holds, patrons } = this.world.unpublished;
    for (const p of patrons.splice(0))
      await this.publishPeerEvent("PatronRegistered", { patronId: p.patronId, patron: { institutionId: "MAIN", barcode: p.barcode }, name: p.name });
    for (const it of items.splice(0)) await this.publishPeerEvent("ItemDetailsUpdated", { itemId: it.itemId, item: it.item, current: it });
    for (const h of holds.splice(0)) await this.publishPeerEvent("HoldChanged", { holdId: h.holdId, patronId: h.patronId, titleId: h.titleId, current: h });
  }

  /**
   * An item, hold or patron event as its service would publish it; `streamPosition`
   * defaults to one past the last this harness published (each world change is newer).
   */
  async publishPeerEvent<T extends "ItemDetailsUpdated" | "HoldChanged" | "PatronRegistered">(
    type: T,
    event: Partial<EventOf<T>>,
    streamPosition = ++this.position,
  ): Promise<void> {
    await publishPeerEvent(this.js, this.nats.subjectPrefix, type, event, { streamPosition, occurredAt: NOW });
  }

  /** Publishes an envelope on NATS (`times` times) and waits for as many replies. */
  async publish(envelope: commands.CommandEnvelope, times = 1): Promise<Outcome[]> {
    await this.publishWorld();
    return this.gateway.publish(envelope, times);
  }

  async send(command: Command, options: TestSendOptions = {}): Promise<Outcome> {
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
  published(eventId: string): ReturnType<typeof publishedEvent> {
    return publishedEvent(this.jsm, eventStreamName(this.nats.streamPrefix, "loan"), eventId);
  }

  get subjectPrefix(): string {
    return this.nats.subjectPrefix;
  }

  /** A unary call on the Loans API as a promise; rejects with the gRPC error. */
  async call<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, request: Req): Promise<Res> {
    await this.publishWorld();
    return new Promise((resolve, reject) => method.call(this.loans, request, (err, res) => (err ? reject(err) : resolve(res))));
  }
}
