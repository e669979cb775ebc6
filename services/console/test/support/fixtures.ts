import { randomBytes } from "node:crypto";
import { type AnyEvent, common, events, patron, unpackEvent } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { Role } from "../../src/db.js";
import { createStaff } from "../../src/staff.js";
import type { ConsoleStack } from "./stack.js";

/** One account per role, plus ones the tests change; passwords random per run so a leak check can look for them. */
export const STAFF = {
  viewer: { name: "vera", password: `vera-${randomBytes(12).toString("base64url")}` },
  circulation: { name: "carl", password: `carl-${randomBytes(12).toString("base64url")}` },
  administrator: { name: "ada", password: `ada-${randomBytes(12).toString("base64url")}` },
} as const satisfies Record<Role, { name: string; password: string }>;
export const OTHER_STAFF = {
  temp: { name: "temp", password: `temp-${randomBytes(12).toString("base64url")}` },
  tess: { name: "tess", password: `tess-${randomBytes(12).toString("base64url")}` },
};
export const ROLE_LIST = Object.keys(STAFF) as Role[];

export async function createAccounts(stack: ConsoleStack): Promise<void> {
  for (const [role, s] of Object.entries(STAFF)) await createStaff(stack.console.db, { ...s, role: role as Role });
  for (const s of Object.values(OTHER_STAFF)) await createStaff(stack.console.db, { ...s, role: "viewer" });
}

/** A PIN check at the patron service, as a kiosk's command would make it. */
export async function verifyPin(stack: ConsoleStack, institution: string, barcode: string, pin: string): Promise<patron.VerifyPatronResponse> {
  const client = new patron.PatronsClient(stack.addresses.patron, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) =>
      client.verifyPatron(
        patron.VerifyPatronRequest.create({ patron: common.PatronRef.create({ institutionId: institution, barcode }), pin, correlationId: randomBytes(8).toString("hex") }),
        new grpc.Metadata(),
        { deadline: Date.now() + 10_000 },
        (err, res) => (err ? reject(err) : resolve(res)),
      ),
    );
  } finally {
    client.close();
  }
}

/** A message of a JetStream stream as a subscriber reads it: the EventEnvelope and its event, decoded with the generated types. */
export interface StreamEvent {
  subject: string;
  /** The JetStream message id (`Nats-Msg-Id`). */
  msgId: string | undefined;
  /** Header names other than `Nats-Msg-Id` and the publisher's order check (`Nats-Expected-Last-Sequence`). */
  otherHeaders: string[];
  envelope: events.EventEnvelope;
  event: AnyEvent;
}

/** The events on a JetStream stream, in order. */
export async function streamEnvelopes(natsUrl: string, stream: string): Promise<StreamEvent[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const consumer = await jetstream(nc).consumers.get(stream);
    const out: StreamEvent[] = [];
    const batch = await consumer.fetch({ max_messages: 1000, expires: 1_000 });
    for await (const m of batch) {
      const envelope = events.EventEnvelope.decode(m.data);
      const names = m.headers ? [...m.headers.keys()] : [];
      out.push({ subject: m.subject, msgId: m.headers?.get("Nats-Msg-Id"), otherHeaders: names.filter((n) => n !== "Nats-Msg-Id" && n !== "Nats-Expected-Last-Sequence"), envelope, event: unpackEvent(envelope) });
      if (m.info.pending === 0) break;
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** Waits until `probe` holds (the relay publishes within a poll). */
export async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
