import { type AnyEvent, type Command, commands, type common, type events, patron } from "@circulate/contracts";
import { type RecordedEvent, readStream } from "@circulate/eventstore";
import { eventStreamName, type RunningService, type ServiceConfig, startService } from "@circulate/service";
import { accepted, GatewayStandIn, publishedEvent, type TestSendOptions, testServiceConfig } from "@circulate/service/testing";
import { createTestDatabase, createTestNats, type TestDatabase, type TestNats } from "@circulate/testing";
import * as grpc from "@grpc/grpc-js";
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { sql } from "kysely";
import pino from "pino";
import type { PatronDatabase } from "../src/adapters/db.js";
import { patronStreamId } from "../src/domain/index.js";
import { patronService } from "../src/service.js";
import type { PatronServiceOptions } from "../src/settings.js";
import { PeerEvents, type PatronKey } from "./peer-events.js";

export { accepted, refused } from "@circulate/service/testing";

type Outcome = commands.Outcome;

export const MAIN = "MAIN";
export const PIN = "1234";
export const terminal: common.Terminal = { account: "kiosk-1", institutionId: MAIN, location: "MAIN-DESK" };
export const ref = (barcode: string): common.PatronRef => ({ institutionId: MAIN, barcode });

/** Wrong PINs in a row that lock at MAIN (the institution's policy, not the service default of 5). */
export const MAX_WRONG_PINS = 3;
/** The "adult" policy at MAIN: stopped at 3 loans, 2 overdue, fines over $5.00. */
export const ADULT_LIMITS = { maxLoans: 3, maxOverdue: 2, maxHolds: 5, feeLimit: { currency: "USD", amountMinor: 500 } };

/**
 * The patron service in-process (startService) on a fresh database and a
 * private NATS corner, with the loan, fee and hold services present as their
 * events on JetStream (`peers`), a reply sink playing the gateway, and the
 * Patrons gRPC API as admin tools reach it.
 */
export class Harness {
  peers!: PeerEvents;
  service!: RunningService<PatronDatabase>;
  patrons!: patron.PatronsClient;
  nats!: TestNats;
  private database!: TestDatabase;
  private nc!: NatsConnection;
  private jsm!: JetStreamManager;
  private gateway!: GatewayStandIn;
  private options: Partial<PatronServiceOptions> = {};

  /** Cheap scrypt (the cost is not under test here) unless a test says otherwise. */
  async start(options: Partial<PatronServiceOptions> = {}): Promise<this> {
    this.database = await createTestDatabase();
    this.nats = createTestNats();
    this.options = options;
    await this.startService();
    this.nc = await connect({ servers: this.nats.url });
    this.jsm = await jetstreamManager(this.nc);
    this.gateway = await GatewayStandIn.start(this.nc, this.nats.subjectPrefix, terminal);
    this.peers = new PeerEvents(this.nc, this.nats.subjectPrefix);
    this.patrons = new patron.PatronsClient(this.service.grpcAddress, grpc.credentials.createInsecure());
    return this;
  }

  /** The service's configuration: its own database and NATS corner; nobody to call (it asks no other service). */
  config(): ServiceConfig {
    return testServiceConfig({ database: this.database, nats: this.nats });
  }

  /** Stops the service, runs `between`, and starts it again on the same database and streams. */
  async restart(between: () => Promise<void> = async () => {}): Promise<void> {
    this.patrons.close();
    await this.service.stop();
    await between();
    await this.startService();
    this.patrons = new patron.PatronsClient(this.service.grpcAddress, grpc.credentials.createInsecure());
  }

  private async startService(): Promise<void> {
    this.service = await startService(patronService({ scryptN: 2 ** 10, ...this.options }), this.config(), { logger: pino({ level: "silent" }) });
  }

  async stop(): Promise<void> {
    this.patrons?.close();
    await this.service?.stop();
    await this.gateway?.close();
    await this.nc?.close();
    await this.nats?.cleanup();
    await this.database?.drop();
  }

  /** MAIN in New York with its PIN policy, and the "adult" patron type. */
  async seedLibrary(): Promise<void> {
    await this.api.upsertInstitutions({
      institutions: [{ institutionId: MAIN, name: "Main Library", timeZone: "America/New_York", currency: "USD", consortiumId: "", maxWrongPins: MAX_WRONG_PINS }],
    });
    await this.api.upsertPatronTypes({ patronTypes: [{ institutionId: MAIN, patronType: "adult", description: "Adult", limits: ADULT_LIMITS }] });
  }

  /** An adult patron at MAIN with PIN 1234, imported through UpsertPatrons. */
  async addPatron(barcode: string, overrides: Partial<patron.PatronRecord> = {}): Promise<void> {
    await this.api.upsertPatrons({ patrons: [patronRecord(barcode, overrides)] });
  }

  /** A MAIN patron as peers' events name them: this service's patron id and the card. */
  async patron(barcode: string): Promise<PatronKey> {
    const row = await this.row(barcode);
    if (!row) throw new Error(`no patron ${barcode}`);
    return { patronId: row.patron_id, card: ref(barcode) };
  }

  /**
   * Runs `work` while the consumer writing `table` cannot (another transaction
   * holds a lock that lets reads through and stops writes): events it is given
   * meanwhile wait, as behind a slow or stuck consumer.
   */
  async whileStuck<T>(table: "patron_loans" | "patron_fee_accounts" | "patron_holds", work: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holding = this.service.db.transaction().execute(async (trx) => {
      await sql`LOCK TABLE ${sql.table(table)} IN EXCLUSIVE MODE`.execute(trx);
      locked();
      await released;
    });
    await Promise.race([isLocked, holding]);
    try {
      return await work();
    } finally {
      release();
      await holding;
    }
  }

  /** A command envelope as the gateway builds it. */
  envelope(command: Command, options: TestSendOptions = {}): commands.CommandEnvelope {
    return this.gateway.envelope(command, options);
  }

  /** Publishes an envelope on NATS `times` times at once (a redelivery) and waits for as many replies. */
  publish(envelope: commands.CommandEnvelope, times = 1): Promise<Outcome[]> {
    return this.gateway.publish(envelope, times);
  }

  send(command: Command, options: TestSendOptions = {}): Promise<Outcome> {
    return this.gateway.send(command, options);
  }

  /** The patron's event stream as stored. */
  stream(barcode: string): Promise<RecordedEvent[]> {
    return readStream(this.service.db, patronStreamId({ institution: MAIN, barcode }));
  }

  async types(barcode: string): Promise<string[]> {
    return (await this.stream(barcode)).map((e) => e.type);
  }

  row(barcode: string) {
    return this.service.db.selectFrom("patrons").selectAll().where("institution_id", "=", MAIN).where("barcode", "=", barcode).executeTakeFirst();
  }

  /** Outcomes recorded for idempotency, by command id. */
  async recorded(commandId: string): Promise<number> {
    const rows = await this.service.db.selectFrom("idempotency").select("command_id").where("command_id", "=", commandId).execute();
    return rows.length;
  }

  /** The event as the relay published it to JetStream (waits for the relay). */
  published(eventId: string): Promise<{ subject: string; envelope: events.EventEnvelope; event: AnyEvent }> {
    return publishedEvent(this.jsm, eventStreamName(this.nats.streamPrefix, "patron"), eventId);
  }

  /** The Patrons admin RPCs as promises; they reject with the gRPC error. */
  get api() {
    const c = this.patrons;
    return {
      upsertPatrons: (r: Partial<patron.UpsertPatronsRequest>) => unary<patron.UpsertPatronsResponse>((cb) => c.upsertPatrons(patron.UpsertPatronsRequest.fromPartial(r), cb)),
      upsertInstitutions: (r: Partial<patron.UpsertInstitutionsRequest>) =>
        unary<patron.UpsertInstitutionsResponse>((cb) => c.upsertInstitutions(patron.UpsertInstitutionsRequest.fromPartial(r), cb)),
      upsertPatronTypes: (r: Partial<patron.UpsertPatronTypesRequest>) =>
        unary<patron.UpsertPatronTypesResponse>((cb) => c.upsertPatronTypes(patron.UpsertPatronTypesRequest.fromPartial(r), cb)),
      getPatron: (barcode: string) => unary<patron.GetPatronResponse>((cb) => c.getPatron({ key: { $case: "patron", value: ref(barcode) } }, cb)),
      unlockPin: (barcode: string, staff = "desk-staff") => unary<patron.UnlockPinResponse>((cb) => c.unlockPin({ patron: ref(barcode), staff }, cb)),
      setCardLost: (barcode: string, lost: boolean, staff = "desk-staff") =>
        unary<patron.SetCardLostResponse>((cb) => c.setCardLost({ patron: ref(barcode), lost, staff }, cb)),
      searchPatrons: (r: Partial<patron.SearchPatronsRequest>) =>
        unary<patron.SearchPatronsResponse>((cb) => c.searchPatrons(patron.SearchPatronsRequest.fromPartial(r), cb)),
      blockPatron: (barcode: string, staff: string, reason: string) =>
        unary<patron.BlockPatronResponse>((cb) => c.blockPatron({ patron: ref(barcode), staff, reason }, cb)),
      unblockPatron: (barcode: string, staff: string, reason = "") =>
        unary<patron.UnblockPatronResponse>((cb) => c.unblockPatron({ patron: ref(barcode), staff, reason }, cb)),
    };
  }
}

function unary<Res>(start: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => start((err, res) => (err ? reject(err) : resolve(res))));
}

export function patronRecord(barcode: string, overrides: Partial<patron.PatronRecord> = {}): patron.PatronRecord {
  return patron.PatronRecord.fromPartial({
    patron: ref(barcode),
    name: `Patron ${barcode}`,
    patronType: "adult",
    homeLocation: MAIN,
    email: `${barcode.toLowerCase()}@example.org`,
    pin: PIN,
    ...overrides,
  });
}

/** Commands as the gateway sends them. */
export const cmd = {
  status: (barcode: string, pin?: string): Command => ({ $case: "getPatronStatus", value: commands.GetPatronStatus.fromPartial({ patron: ref(barcode), pin }) }),
  information: (barcode: string, summary: commands.PatronInformationSummary, range: { start?: number; end?: number } = {}, pin?: string): Command => ({
    $case: "getPatronInformation",
    value: commands.GetPatronInformation.fromPartial({ patron: ref(barcode), pin, summary, startItem: range.start ?? 0, endItem: range.end ?? 0 }),
  }),
  block: (barcode: string, message: string, cardRetained = false): Command => ({
    $case: "blockPatron",
    value: commands.BlockPatron.fromPartial({ patron: ref(barcode), message, cardRetained }),
  }),
  enable: (barcode: string, pin?: string): Command => ({ $case: "enablePatron", value: commands.EnablePatron.fromPartial({ patron: ref(barcode), pin }) }),
  endSession: (barcode: string, pin?: string): Command => ({
    $case: "endPatronSession",
    value: commands.EndPatronSession.fromPartial({ patron: ref(barcode), pin }),
  }),
};

/** The 23 standing of an outcome. */
export function standingOf(outcome: Outcome): common.PatronStanding {
  const standing = accepted(outcome, "getPatronStatus").standing;
  if (!standing) throw new Error("no standing in the 24");
  return standing;
}

/** The names of the flags that are set, for readable assertions. */
export function flagsSet(standing: common.PatronStanding): string[] {
  return Object.entries(standing.status ?? {})
    .filter(([, on]) => on === true)
    .map(([name]) => name)
    .sort();
}

export const DENIED_ALL = ["chargePrivilegesDenied", "holdPrivilegesDenied", "recallPrivilegesDenied", "renewalPrivilegesDenied"];
