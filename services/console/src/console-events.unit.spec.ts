import { eventCatalog, events, unpackEvent } from "@circulate/contracts";
import type { RecordedEvent } from "@circulate/eventstore";
import { protoJsonEncoder, relayMessage } from "@circulate/service";
import { describe, expect, it } from "vitest";
import { CONSOLE_EVENT_TYPES, type ConsoleEvent } from "./audit.js";

/** One of each event the console records, with every field it can carry. */
const SAMPLES: ConsoleEvent[] = [
  {
    type: "StaffActionTaken",
    data: { staff: "carl", role: "circulation", action: "fee.waive", target: "fee 0193", reason: "library error", result: "refused", detail: "no such fee" },
  },
  { type: "StaffActionTaken", data: { staff: "(add-staff command)", role: "", action: "staff.create", target: "staff ada: role administrator", result: "done" } },
  { type: "StaffLoggedIn", data: { staff: "ada", role: "administrator", address: "10.0.0.7" } },
  { type: "StaffLoggedOut", data: { staff: "ada", role: "administrator" } },
  { type: "StaffLoginFailed", data: { staff: "mallory", address: "10.0.0.9", reason: "throttled" } },
  { type: "ImportStarted", data: { importId: "imp-1", staff: "ada", role: "administrator", fileName: "patrons.csv", kind: "patrons-csv", dryRun: true, size: 5120 } },
  {
    type: "ImportFinished",
    data: {
      importId: "imp-1",
      staff: "ada",
      role: "administrator",
      fileName: "library.json",
      kind: "json",
      dryRun: false,
      outcome: "failed",
      records: 42,
      sections: [{ section: "loans", created: 3, updated: 0, unchanged: 1, skipped: 2 }],
      problems: 0,
      detail: "loan service did not answer",
    },
  },
];

function recorded(event: ConsoleEvent): RecordedEvent {
  return {
    eventId: "0193f7a2-0000-7000-8000-000000000001",
    streamId: `staff-${event.data.staff}`,
    streamPosition: 3,
    globalPosition: 17n,
    type: event.type,
    data: event.data,
    metadata: {},
    occurredAt: new Date("2026-12-06T12:00:00Z"),
    recordedAt: new Date("2026-12-06T12:00:01Z"),
  } as unknown as RecordedEvent;
}

describe("the console's events as protobuf", () => {
  it("has a library.console.v1 message for every event the console records", () => {
    expect(new Set(SAMPLES.map((s) => s.type))).toEqual(new Set(CONSOLE_EVENT_TYPES));
    for (const type of CONSOLE_EVENT_TYPES) expect(eventCatalog.get(type)).toMatchObject({ service: "console", payloadType: `library.console.v1.${type}` });
  });

  // The console stores an event's data as is and the relay reads it as the message's proto3
  // JSON: a field the message lacks would be dropped from the published event without a word.
  it("carries every stored field into the message, with its value", () => {
    for (const sample of SAMPLES) {
      const message = eventCatalog.get(sample.type)!.codec.fromJSON(sample.data) as Record<string, unknown>;
      for (const [field, value] of Object.entries(sample.data)) expect([sample.type, field, message[field]]).toEqual([sample.type, field, value]);
    }
  });

  it("publishes each as the services do: an EventEnvelope on <prefix>.evt.console.<Type>, no extra headers", () => {
    const toMessage = relayMessage("t1.x", protoJsonEncoder);
    for (const sample of SAMPLES) {
      const message = toMessage(recorded(sample));
      expect(message.subject).toBe(`t1.x.evt.console.${sample.type}`);
      expect(message.headers).toBeUndefined();
      const envelope = events.EventEnvelope.decode(message.data as Uint8Array);
      expect(envelope).toMatchObject({ eventId: "0193f7a2-0000-7000-8000-000000000001", streamId: `staff-${sample.data.staff}`, streamPosition: 3, globalPosition: 17, type: sample.type });
      const { type, event } = unpackEvent(envelope);
      expect(type).toBe(sample.type);
      expect(event).toMatchObject(sample.data);
    }
  });
});
