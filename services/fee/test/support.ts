import { type commands, common, type EventOf, type events, fee, type loan, patron, uuidv7 } from "@circulate/contracts";
import { type Event, readStream, type RecordedEvent } from "@circulate/eventstore";
import { eventStreamName, type RunningService, startService } from "@circulate/service";
import { GatewayStandIn, publishPeerEvent, testServiceConfig } from "@circulate/service/testing";
import { createTestDatabase, createTestNats, type TestDatabase, type TestNats } from "@circulate/testing";
import * as grpc from "@grpc/grpc-js";
import { type JetStreamClient, jetstream, jetstreamManager, type PubAck } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pino from "pino";
import type { FeeDatabase } from "../src/adapters/db.js";
import { feeService } from "../src/service.js";

type Outcome = commands.Outcome;
type LoanEventType = "ItemCheckedIn" | "ItemCheckedOut" | "CheckinCancelled";

export const MAIN = "MAIN";
export const terminal = common.Terminal.fromPartial({ account: "kiosk1", institutionId: MAIN, location: "MAIN" });
export const usd = (amountMinor: number): common.Money => ({ currency: "USD", amountMinor });

/**
 * A stand-in for the patron service process: a real gRPC server on 127.0.0.1:0
 * answering `Patrons` with canned patrons (PIN 1234 for everyone). Barcodes
 * listed in `slow` answer after `slowMs`, to let a command's deadline pass.
 */
export async function startPatronStandIn(barcodes: readonly string[], options: { slow?: string[]; slowMs?: number } = {}) {
  const known = new Map(barcodes.map((b) => [b, patron.Patron.create({ patronId: `pid-${b}`, patron: { institutionId: MAIN, barcode: b }, name: `Patron ${b}` })]));
  const byId = new Map([...known.values()].map((p) => [p.patronId, p]));
  const calls = { verifyPatron: 0, getPatron: 0 };
  const server = new grpc.Server();
  server.addService(patron.PatronsService, {
    getPatron: (call: grpc.ServerUnaryCall<patron.GetPatronRequest, patron.GetPatronResponse>, cb: grpc.sendUnaryData<patron.GetPatronResponse>) => {
      calls.getPatron++;
      const key = call.request.key;
      const found = key?.$case === "patron" ? known.get(key.value.barcode) : key?.$case === "patronId" ? byId.get(key.value) : undefined;
      cb(null, { patron: found });
    },
    verifyPatron: (call: grpc.ServerUnaryCall<patron.VerifyPatronRequest, patron.VerifyPatronResponse>, cb: grpc.sendUnaryData<patron.VerifyPatronResponse>) => {
      calls.verifyPatron++;
      const barcode = call.request.patron?.barcode ?? "";
      const found = known.get(barcode);
      const answer = () => {
        if (!found) return cb(null, patron.VerifyPatronResponse.create({ found: false }));
        const pinValid = call.request.pin === undefined ? undefined : call.request.pin === "1234";
        cb(null, {
          ...patron.VerifyPatronResponse.create({ found: true }),
          standing: common.PatronStanding.create({ patronId: found.patronId, patron: found.patron, name: found.name, validPatron: true, pinValid }),
        });
      };
      if (options.slow?.includes(barcode)) setTimeout(answer, options.slowMs ?? 300);
      else answer();
    },
    // Only what the fee service asks; grpc-js answers UNIMPLEMENTED for the rest.
  } satisfies Partial<patron.PatronsServer> as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, calls, close: () => new Promise<void>((r) => server.tryShutdown(() => r())) };
}

/** The fee service in-process on a fresh database and NATS prefix, with a reply sink and a Fees client. */
export async function startFeeHarness(options: { patrons: readonly string[]; slow?: string[]; slowMs?: number }) {
  const database: TestDatabase = await createTestDatabase();
  const nats: TestNats = createTestNats();
  const patrons = await startPatronStandIn(options.patrons, { slow: options.slow, slowMs: options.slowMs });
  const config = testServiceConfig({ database, nats, peers: { patron: patrons.address } });
  const service: RunningService<FeeDatabase> = await startService(feeService(), config, { logger: pino({ level: "silent" }) });

  const nc: NatsConnection = await connect({ servers: nats.url });
  const js: JetStreamClient = jetstream(nc);
  const fees = new fee.FeesClient(service.grpcAddress, grpc.credentials.createInsecure());
  const gateway = await GatewayStandIn.start(nc, nats.subjectPrefix, terminal);

  /** Publishes a command envelope as the gateway does and waits for its reply. */
  const send = async (env: commands.CommandEnvelope): Promise<Outcome> => (await gateway.publish(env))[0]!;

  const payFeeEnvelope = (value: Partial<commands.PayFee>, extra: { timeoutMs?: number; deadline?: Date } = {}) =>
    gateway.envelope({ $case: "payFee", value: { ...payFeeDefaults(), ...value } }, { timeoutMs: extra.timeoutMs ?? 5_000, deadline: extra.deadline });

  /**
   * Publishes a loan event the way the loan service's relay does: an EventEnvelope
   * on `<prefix>.evt.loan.<Type>` with JetStream msgID = event id (or `msgID`, to
   * simulate a re-publication the duplicate window no longer catches).
   */
  const publishLoanEvent = async <T extends LoanEventType>(
    type: T,
    event: EventOf<T>,
    options: { eventId?: string; msgID?: string; offline?: boolean } = {},
  ): Promise<{ env: events.EventEnvelope; ack: PubAck; msgID: string }> => {
    const streamId = `loan-${(event as { itemId: string }).itemId}`;
    const { envelope, ack, msgID } = await publishPeerEvent(js, nats.subjectPrefix, type, event, { ...options, streamId, streamPosition: 2 });
    return { env: envelope, ack, msgID };
  };

  return {
    database,
    nats,
    service,
    patrons,
    gateway,
    nc,
    js,
    fees,
    send,
    payFeeEnvelope,
    publishLoanEvent,
    publishCheckin: (event: loan.ItemCheckedIn, options?: { eventId?: string; msgID?: string }) => publishLoanEvent("ItemCheckedIn", event, options),
    loanStream: eventStreamName(nats.streamPrefix, "loan"),
    feeStream: eventStreamName(nats.streamPrefix, "fee"),
    stream: (streamId: string): Promise<RecordedEvent<Event>[]> => readStream(service.db, streamId),
    /** Waits until the fee service's loan consumer has applied (or skipped as seen) the message with this msgID. */
    consumed: (msgID: string) =>
      eventually(async () =>
        (await service.db.selectFrom("processed_messages").select("message_id").where("message_id", "=", msgID).executeTakeFirst()) ? true : undefined,
      ),
    /** The Fees RPCs as promises. */
    api: {
      getAccount: (req: fee.GetAccountRequest) => unary<fee.GetAccountResponse>((cb) => fees.getAccount(req, cb)),
      chargeFee: (req: fee.ChargeFeeRequest) => unary<fee.ChargeFeeResponse>((cb) => fees.chargeFee(req, cb)),
      waiveFee: (req: fee.WaiveFeeRequest) => unary<fee.WaiveFeeResponse>((cb) => fees.waiveFee(req, cb)),
      importCharges: (req: fee.ImportChargesRequest) => unary<fee.ImportChargesResponse>((cb) => fees.importCharges(req, cb)),
      upsertInstitutions: (req: fee.UpsertInstitutionsRequest) => unary<fee.UpsertInstitutionsResponse>((cb) => fees.upsertInstitutions(req, cb)),
    },
    stop: async () => {
      fees.close();
      await gateway.close();
      await nc.close();
      await service.stop();
      await patrons.close();
      await nats.cleanup();
      await database.drop();
    },
  };
}

function unary<Res>(start: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => start((err, res) => (err ? reject(err) : resolve(res))));
}

export type FeeHarness = Awaited<ReturnType<typeof startFeeHarness>>;

function payFeeDefaults(): commands.PayFee {
  return {
    patron: { institutionId: MAIN, barcode: "P0001" },
    pin: "1234",
    feeType: common.FeeType.OVERDUE,
    paymentType: common.PaymentType.CASH,
    amount: usd(0),
    feeId: "",
    transactionId: "",
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Reads the next message of a service's JetStream stream on `subject` through an ephemeral probe consumer. */
export async function nextPublished(nc: NatsConnection, stream: string, subject: string) {
  const jsm = await jetstreamManager(nc);
  const name = `probe${uuidv7().replaceAll("-", "").slice(-12)}`;
  await jsm.consumers.add(stream, { durable_name: name, ack_policy: "none" as never, filter_subject: subject });
  try {
    const consumer = await jetstream(nc).consumers.get(stream, name);
    const msg = await consumer.next({ expires: 5_000 });
    if (!msg) throw new Error(`nothing published on ${subject}`);
    return msg;
  } finally {
    await jsm.consumers.delete(stream, name).catch(() => false);
  }
}
