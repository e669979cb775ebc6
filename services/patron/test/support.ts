import { publishCommand, type ReplySinkServer, startReplySink } from "@circulate/commandbus";
import { type AnyEvent, type Command, commands, type common, events, newCommandEnvelope, patron, unpackEvent } from "@circulate/contracts";
import { type RecordedEvent, readStream } from "@circulate/eventstore";
import { eventStreamName, type RunningService, startService } from "@circulate/service";
import { createTestDatabase, createTestNats, type TestDatabase, type TestNats } from "@circulate/testing";
import * as grpc from "@grpc/grpc-js";
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { sql } from "kysely";
import pino from "pino";
import type { PatronDatabase } from "../src/adapters/db.js";
import type { PatronServiceOptions } from "../src/config.js";
import { patronStreamId } from "../src/domain/index.js";
import { patronService } from "../src/service.js";
import { PeerEvents, type PatronKey } from "./peer-events.js";

type Outcome = commands.Outcome;

export const MAIN = "MAIN";
export const PIN = "1234";
export const terminal: common.Terminal = { account: "kiosk-1", institutionId: MAIN, location: "MAIN-DESK" };
export const ref = (barcode: string): common.PatronRef => ({ institutionId: MAIN, barcode });

/** Wrong PINs in a row that lock at MAIN (the institution's policy, not the service default of 5). */
export const MAX_WRONG_PINS = 3;
/** The "adult" policy at MAIN: stopped at 3 loans, 2 overdue, fines over $5.00. */
export const ADULT_LIMITS = { maxLoans: 3, maxOverdue: 2, maxHolds: 5, feeLimit: { currency: "USD", amountMinor: 500 } };

export interface SendOptions {
  commandId?: string;
  timeoutMs?: number;
  deadline?: Date;
}

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
  private sink!: ReplySinkServer;
  private readonly replies = new Map<string, { outcomes: Outcome[]; waiters: (() => void)[] }>();

  /** Cheap scrypt (the cost is not under test here) unless a test says otherwise. */
  async start(options: Partial<PatronServiceOptions> = {}): Promise<this> {
    this.database = await createTestDatabase();
    this.nats = createTestNats();
    this.sink = await startReplySink({ onOutcome: (o) => this.received(o) });
    this.service = await startService(
      patronService({ scryptN: 2 ** 10, ...options }),
      {
        postgresUrl: this.database.url,
        createDatabase: false,
        natsUrl: this.nats.url,
        subjectPrefix: this.nats.subjectPrefix,
        streamPrefix: this.nats.streamPrefix,
        grpcHost: "127.0.0.1",
        grpcPort: 0,
        opsHost: "127.0.0.1",
        opsPort: 0,
        // Nobody to call: the patron service asks no other service.
        peers: { loan: "", fee: "", hold: "", patron: "", item: "" },
        logLevel: "silent",
        prettyLogs: false,
      },
      { logger: pino({ level: "silent" }) },
    );
    this.nc = await connect({ servers: this.nats.url });
    this.jsm = await jetstreamManager(this.nc);
    this.peers = new PeerEvents(this.nc, this.nats.subjectPrefix);
    this.patrons = new patron.PatronsClient(this.service.grpcAddress, grpc.credentials.createInsecure());
    return this;
  }

  async stop(): Promise<void> {
    this.patrons?.close();
    await this.service?.stop();
    await this.nc?.close();
    await this.sink?.close();
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

  /** A command envelope as the gateway builds it. */
  envelope(command: Command, options: SendOptions = {}): commands.CommandEnvelope {
    const base = { command, terminal, replyTo: this.sink.address, commandId: options.commandId };
    return options.deadline
      ? newCommandEnvelope({ ...base, deadline: options.deadline })
      : newCommandEnvelope({ ...base, timeoutMs: options.timeoutMs ?? 10_000 });
  }

  /** Publishes an envelope on NATS `times` times at once (a redelivery) and waits for as many replies. */
  async publish(envelope: commands.CommandEnvelope, times = 1): Promise<Outcome[]> {
    const before = this.entry(envelope.correlationId).outcomes.length;
    for (let i = 0; i < times; i++) publishCommand(this.nc, envelope, this.nats.subjectPrefix);
    await this.nc.flush();
    return this.outcomes(envelope.correlationId, before, times);
  }

  async send(command: Command, options: SendOptions = {}): Promise<Outcome> {
    const [outcome] = await this.publish(this.envelope(command, options));
    return outcome!;
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
  async published(eventId: string): Promise<{ subject: string; envelope: events.EventEnvelope; event: AnyEvent }> {
    const stream = eventStreamName(this.nats.streamPrefix, "patron");
    const deadline = Date.now() + 10_000;
    for (;;) {
      const info = await this.jsm.streams.info(stream);
      for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
        const msg = await this.jsm.streams.getMessage(stream, { seq }).catch(() => null);
        if (!msg || msg.header.get("Nats-Msg-Id") !== eventId) continue;
        const envelope = events.EventEnvelope.decode(msg.data);
        return { subject: msg.subject, envelope, event: unpackEvent(envelope) };
      }
      if (Date.now() > deadline) throw new Error(`event ${eventId} was not published`);
      await new Promise((r) => setTimeout(r, 50));
    }
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
      setCardLost: (barcode: string, lost: boolean) => unary<patron.SetCardLostResponse>((cb) => c.setCardLost({ patron: ref(barcode), lost }, cb)),
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
