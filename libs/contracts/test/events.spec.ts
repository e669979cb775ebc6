import { describe, expect, expectTypeOf, it } from "vitest";
import * as consoleEvents from "../src/gen/library/console/v1/events.js";
import * as feeEvents from "../src/gen/library/fee/v1/events.js";
import * as holdEvents from "../src/gen/library/hold/v1/events.js";
import * as itemEvents from "../src/gen/library/item/v1/events.js";
import * as loanEvents from "../src/gen/library/loan/v1/events.js";
import * as patronEvents from "../src/gen/library/patron/v1/events.js";
import {
  type AnyEvent,
  EventPayloadError,
  type EventType,
  eventCatalog,
  eventSubject,
  events,
  isEventType,
  loan,
  packEvent,
  unpackEvent,
} from "../src/index.js";

const checkedOut: loan.ItemCheckedOut = loan.ItemCheckedOut.fromPartial({
  loanId: "loan-1",
  itemId: "it-1",
  item: { institutionId: "main", barcode: "I0001" },
  patronId: "pat-1",
  patron: { institutionId: "main", barcode: "P0001" },
  title: "Moby Dick",
  checkedOutAt: new Date("2025-02-01T10:00:00.000Z"),
  dueAt: new Date("2025-02-22T17:00:00.000Z"),
  terminalAccount: "kiosk-1",
  channel: loan.LoanChannel.TERMINAL,
  fee: { feeType: "FEE_TYPE_RENTAL", amount: { currency: "USD", amountMinor: 150 }, description: "rental" },
});

describe("packEvent and unpackEvent", () => {
  it("round-trip a domain event through an event envelope", () => {
    const packed = packEvent("ItemCheckedOut", checkedOut);
    expect(packed.type).toBe("ItemCheckedOut");
    expect(packed.payloadType).toBe("library.loan.v1.ItemCheckedOut");
    const envelope = events.EventEnvelope.fromPartial({ eventId: "e1", streamId: "loan-it-1", streamPosition: 1, ...packed });
    const wire = events.EventEnvelope.decode(events.EventEnvelope.encode(envelope).finish());
    const unpacked = unpackEvent(wire);
    expect(unpacked).toEqual({ type: "ItemCheckedOut", event: checkedOut });
    if (unpacked.type === "ItemCheckedOut") {
      expectTypeOf(unpacked.event).toEqualTypeOf<loan.ItemCheckedOut>();
    }
  });

  it("refuses an event type this build does not know", () => {
    expect(() => unpackEvent({ type: "ItemTeleported", payloadType: "library.item.v1.ItemTeleported", payload: Buffer.alloc(0) })).toThrow(
      EventPayloadError,
    );
    expect(isEventType("ItemTeleported")).toBe(false);
    expect(isEventType("HoldTrapped")).toBe(true);
  });

  it("refuses a payload_type that does not match the type", () => {
    const packed = packEvent("ItemCheckedOut", checkedOut);
    expect(() => unpackEvent({ ...packed, payloadType: "library.loan.v1.ItemCheckedIn" })).toThrow(/expected library.loan.v1.ItemCheckedOut/);
  });

  it("reports a payload that does not decode", () => {
    const bad = { type: "ItemCheckedOut", payloadType: "library.loan.v1.ItemCheckedOut", payload: Uint8Array.from([0x0a, 0x05, 0x61]) };
    expect(() => unpackEvent(bad)).toThrow(EventPayloadError);
  });
});

describe("event catalog", () => {
  const modules = { patron: patronEvents, item: itemEvents, loan: loanEvents, fee: feeEvents, hold: holdEvents, console: consoleEvents };

  it("lists every message of every service's events.proto, once, with its full name", () => {
    let count = 0;
    for (const [service, module] of Object.entries(modules)) {
      for (const type of Object.keys(module)) {
        count++;
        expect(eventCatalog.get(type)).toMatchObject({ service, payloadType: `library.${service}.v1.${type}` });
      }
    }
    expect(eventCatalog.size).toBe(count);
  });

  it("names events in the past tense, as the style guide asks", () => {
    const pastTense = (word: string) => /ed$/.test(word) || ["Lost", "Found", "Reset", "Paid", "Withdrawn", "Taken"].includes(word);
    for (const type of eventCatalog.keys()) {
      const words = type.match(/[A-Z][a-z]*/g) ?? [];
      expect(words.some(pastTense), type).toBe(true);
    }
  });

  it("knows the events the services need first", () => {
    const needed: EventType[] = [
      "PatronRegistered",
      "PatronBlocked",
      "PatronEnabled",
      "PinFailed",
      "ItemRegistered",
      "ItemStatusUpdated",
      "ItemMarkedMissing",
      "ItemCheckedOut",
      "ItemCheckedIn",
      "LoanRenewed",
      "FeeCharged",
      "FeePaid",
      "HoldPlaced",
      "HoldCancelled",
      "HoldTrapped",
      "HoldFulfilled",
    ];
    for (const type of needed) expect(eventCatalog.has(type)).toBe(true);
  });

  it("puts each event on its service's subject", () => {
    expect(eventSubject("ItemCheckedOut")).toBe("circ.evt.loan.ItemCheckedOut");
    expect(eventSubject("FeePaid", "test.x")).toBe("test.x.evt.fee.FeePaid");
    expect(eventSubject("HoldTrapped")).toBe("circ.evt.hold.HoldTrapped");
    expect(eventSubject("StaffActionTaken", "test.x")).toBe("test.x.evt.console.StaffActionTaken");
  });

  it("round-trips one instance of every event type", () => {
    for (const entry of eventCatalog.values()) {
      const packed = packEvent(entry.type, entry.codec.decode(new Uint8Array(0)) as never);
      const unpacked: AnyEvent = unpackEvent(packed);
      expect(unpacked.type).toBe(entry.type);
    }
  });
});
