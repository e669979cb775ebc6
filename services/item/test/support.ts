import { type commands, common, type EventOf, type EventType, type events, item as itemPb } from "@circulate/contracts";
import { readStream } from "@circulate/eventstore";
import { eventStreamName, type RunningService, type ServiceConfig, startService } from "@circulate/service";
import { GatewayStandIn, publishPeerEvent, testServiceConfig } from "@circulate/service/testing";
import { createTestDatabase, createTestNats, type TestDatabase, type TestNats } from "@circulate/testing";
import * as grpc from "@grpc/grpc-js";
import { type JetStreamClient, jetstream, jetstreamManager, type PubAck } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pino from "pino";
import type { ItemDatabase } from "../src/adapters/db.js";
import { itemStreamId } from "../src/domain/index.js";
import { itemService } from "../src/service.js";

export const terminal = common.Terminal.fromPartial({ account: "kiosk1", institutionId: "MAIN", location: "MAIN" });

/** The item service in-process on a fresh database and NATS prefix, with the gateway's stand-in. */
export class ItemHarness {
  database!: TestDatabase;
  nats!: TestNats;
  service!: RunningService<ItemDatabase>;
  config!: ServiceConfig;
  nc!: NatsConnection;
  js!: JetStreamClient;
  items!: itemPb.ItemsClient;
  gateway!: GatewayStandIn;

  async start(): Promise<void> {
    this.database = await createTestDatabase();
    this.nats = createTestNats();
    // 17 asks no other service: every peer is unreachable.
    this.config = testServiceConfig({ database: this.database, nats: this.nats });
    this.service = await startService(itemService(), this.config, { logger: pino({ level: "silent" }) });
    this.nc = await connect({ servers: this.nats.url });
    this.js = jetstream(this.nc);
    this.gateway = await GatewayStandIn.start(this.nc, this.nats.subjectPrefix, terminal);
    this.items = new itemPb.ItemsClient(this.service.grpcAddress, grpc.credentials.createInsecure());
  }

  async stop(): Promise<void> {
    this.items?.close();
    await this.gateway?.close();
    await this.nc?.close();
    await this.service?.stop();
    await this.nats?.cleanup();
    await this.database?.drop();
  }

  getItemInformation(barcode: string, institutionId = "MAIN"): Promise<commands.Outcome> {
    return this.gateway.send({ $case: "getItemInformation", value: { item: { institutionId, barcode } } });
  }

  upsert(records: Partial<itemPb.ItemRecord>[]): Promise<itemPb.UpsertItemsResponse> {
    return new Promise((resolve, reject) =>
      this.items.upsertItems({ items: records.map((r) => itemPb.ItemRecord.fromPartial(r)) }, (err, res) => (err ? reject(err) : resolve(res))),
    );
  }

  getItem(request: Partial<itemPb.GetItemRequest>): Promise<itemPb.Item | undefined> {
    return new Promise((resolve, reject) =>
      this.items.getItem(itemPb.GetItemRequest.fromPartial(request), (err, res) => (err ? reject(err) : resolve(res.item))),
    );
  }

  getItems(request: Partial<itemPb.GetItemsRequest>): Promise<itemPb.Item[]> {
    return new Promise((resolve, reject) =>
      this.items.getItems(itemPb.GetItemsRequest.fromPartial(request), (err, res) => (err ? reject(err) : resolve(res.items))),
    );
  }

  setItemStatus(request: Partial<itemPb.SetItemStatusRequest>): Promise<itemPb.Item | undefined> {
    return new Promise((resolve, reject) =>
      this.items.setItemStatus(itemPb.SetItemStatusRequest.fromPartial(request), (err, res) => (err ? reject(err) : resolve(res.item))),
    );
  }

  storedEvents(barcode: string, institution = "MAIN") {
    return readStream(this.service.db, itemStreamId({ institution, barcode }));
  }

  row(barcode: string, institution = "MAIN") {
    return this.service.db
      .selectFrom("items")
      .selectAll()
      .where("institution_id", "=", institution)
      .where("barcode", "=", barcode)
      .executeTakeFirst();
  }

  readonly #positions = new Map<string, number>();

  /**
   * Publishes another service's event as its relay would. Each event takes the
   * next position of its source stream unless one is given (a redelivery keeps
   * its position). The stream is the one named, else a loan event's is its
   * item's, `loan-<institution>-<barcode>` as the loan service names it, else
   * `<service>-test`. A check-in's `causationId` is its check-in id, which a
   * hold trap may name before the check-in is published.
   */
  async publishEvent<T extends EventType>(
    service: "loan" | "hold",
    type: T,
    event: EventOf<T>,
    meta: { eventId?: string; institutionId?: string; causationId?: string; streamId?: string; streamPosition?: number } = {},
  ): Promise<{ eventId: string; ack: PubAck; envelope: events.EventEnvelope }> {
    const streamId = meta.streamId ?? defaultStreamId(service, event);
    const streamPosition = meta.streamPosition ?? (this.#positions.get(streamId) ?? 0) + 1;
    this.#positions.set(streamId, Math.max(streamPosition, this.#positions.get(streamId) ?? 0));
    const options = { eventId: meta.eventId, institutionId: meta.institutionId, causationId: meta.causationId, streamId, streamPosition };
    const { envelope, ack } = await publishPeerEvent(this.js, this.nats.subjectPrefix, type, event, options);
    return { eventId: envelope.eventId, ack, envelope };
  }

  eventStream(service: "loan" | "hold" | "item"): string {
    return eventStreamName(this.nats.streamPrefix, service);
  }

  async jsm() {
    return jetstreamManager(this.nc);
  }

  /** Highest stream sequence the named consumer of the item service has applied. */
  async consumerCheckpoint(service: "loan" | "hold", durable: string): Promise<number> {
    const row = await this.service.db
      .selectFrom("consumer_checkpoints")
      .select("stream_sequence")
      .where("consumer", "=", `${this.eventStream(service)}/${durable}`)
      .executeTakeFirst();
    return row ? Number(row.stream_sequence) : 0;
  }
}

function defaultStreamId(service: "loan" | "hold", event: unknown): string {
  const item = (event as { item?: common.ItemRef }).item;
  return service === "loan" && item?.barcode ? `loan-${item.institutionId}-${item.barcode}` : `${service}-test`;
}

/** A client whose publications carry `causationId` (the shared kit gives every peer event a fresh one). */
export { loanAfterCheckout as loanAfter } from "@circulate/service/testing";

/** Polls `check` until it returns a value other than undefined/false (consumers apply events asynchronously). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A demo-library book at MAIN. */
export function book(barcode: string, overrides: Partial<itemPb.ItemRecord> = {}): Partial<itemPb.ItemRecord> {
  return {
    item: { institutionId: "MAIN", barcode },
    title: `Title of ${barcode}`,
    titleId: `T-${barcode}`,
    itemType: "BOOK",
    mediaType: common.MediaType.BOOK,
    magneticMedia: false,
    securityMarker: common.SecurityMarker.TATTLE_TAPE,
    permanentLocation: "STACKS",
    callNumber: "510 ADA",
    owner: "MAIN",
    circulating: true,
    ...overrides,
  };
}
