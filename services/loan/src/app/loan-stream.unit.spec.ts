import { type DomainEvent, domainEvent, type EventType, eventCatalog, fromStoredEvent, packEvent, toStoredEvent, unpackEvent } from "@circulate/contracts";
import { fold } from "@circulate/domain";
import type { RecordedEvent } from "@circulate/eventstore";
import { describe, expect, it } from "vitest";
import {
  decideCheckin,
  decideCheckout,
  decideImportLoan,
  decideRenew,
  decideRenewAll,
  evolve,
  initialState,
  NO_RULE,
  type ResolvedRule,
  type Routing,
  UNLIMITED,
} from "../domain/index.js";
import { checkedOut, checkin, checkout, checkoutFacts, holds, item, itemRef, patron, RULE, renew, TIME, terminal } from "../domain/loan.fixtures.js";
import { evolveStream, initialStream, type LoanStream, storedEvents } from "./loan-stream.js";
import STORED from "./loan-stream.stored.json" with { type: "json" };

/**
 * The events of two items' streams, decided and completed as the handlers do,
 * against the proto3 JSON stored (and published) for the same situations by
 * the hand-written codec this replaced: databases and other services' consumers
 * hold that JSON, so it must not change shape. Each step is labelled as in the file.
 */

type Decided = { outcome: "accepted"; events: readonly DomainEvent<"loan">[] } | { outcome: "refused"; reason: string };

interface Step {
  readonly label: string;
  readonly events: readonly unknown[];
}

function story(): { steps: Step[]; states: LoanStream[] } {
  const steps: Step[] = [];
  const states: LoanStream[] = [];
  const record = (label: string, stream: LoanStream, d: Decided, command: string, routing: Routing | null = null, occurredAt?: Date): LoanStream => {
    if (d.outcome !== "accepted") throw new Error(`${label}: refused ${d.reason}`);
    const { stored, after } = storedEvents(stream, d.events, routing, occurredAt);
    steps.push({ label, events: JSON.parse(JSON.stringify(stored)) });
    return { ...after, lastCommandId: command };
  };
  const checkinFacts = (overrides = {}) => ({ item: item(), terminal: terminal(), time: TIME, ...overrides });

  // Item 31000001: Ann's loan through renewals, cancels and returns, then Bob's.
  let s = initialStream();
  const kioskTime = new Date("2025-03-01T08:30:00.000Z");
  s = record(
    "offline checkout, kiosk due date, hold fulfilled",
    s,
    decideCheckout(
      checkout({ transactionAt: kioskTime, loanId: "loan-1" }),
      s.state,
      checkoutFacts({ terminal: terminal({ noBlock: true, kioskDueDate: new Date("2025-03-14T12:00:00Z") }), holds: holds({ trappedFor: "p-ann" }) }),
      new Date("2025-03-01T09:00:00.000Z"),
    ),
    "cmd-1",
    null,
    kioskTime,
  );
  s = record("renewal by checkout", s, decideCheckout(checkout(), s.state, checkoutFacts(), new Date("2025-03-05T10:00:00.000Z")), "cmd-2");
  s = record(
    "checkin cancel of a checkout renewal",
    s,
    decideCheckin(checkin({ cancel: true }), s.state, checkinFacts({ terminal: terminal({ terminalId: "kiosk-2" }) }), new Date("2025-03-05T10:00:05.000Z")),
    "cmd-3",
  );
  const renewedAt = new Date("2025-03-08T09:00:00.000Z");
  s = record(
    "offline renew (29)",
    s,
    decideRenew(renew({ transactionAt: renewedAt }), s.state, { patron: patron(), item: item(), holds: holds(), terminal: terminal({ noBlock: true, location: "Side desk" }), time: TIME }, new Date("2025-03-08T10:00:00.000Z")),
    "cmd-4",
    null,
    renewedAt,
  );
  const loans = [{ itemBarcode: "31000001", state: s.state, item: item(), holds: holds(), time: TIME }];
  s = record(
    "renew all (65)",
    s,
    decideRenewAll({ type: "RenewAllLoans", institutionId: "main", patronBarcode: "21000001" }, { patron: patron(), terminal: terminal(), loans }, new Date("2025-03-09T10:00:00.000Z")),
    "cmd-5",
  );
  s = record(
    "late checkin, backdated, trapped for a hold elsewhere, item retitled",
    s,
    decideCheckin(
      checkin({ returnedAt: new Date("2025-04-09T10:00:00.000Z"), location: "East door" }),
      s.state,
      checkinFacts({ item: item({ title: "Renamed", titleId: "t-2" }), terminal: terminal({ terminalId: "kiosk-2" }) }),
      new Date("2025-04-10T10:00:00.000Z"),
    ),
    "cmd-6",
    { holdId: "hold-9", destination: "West", inTransit: true },
  );
  s = record(
    "checkout cancel of the checkin",
    s,
    decideCheckout(
      checkout({ cancel: true, loanId: "loan-y" }),
      s.state,
      checkoutFacts({ patron: { found: false, barcode: "" }, terminal: terminal({ terminalId: "kiosk-3" }) }),
      new Date("2025-04-10T10:00:07.000Z"),
    ),
    "cmd-7",
  );
  s = record("checkin of the restored loan", s, decideCheckin(checkin(), s.state, checkinFacts(), new Date("2025-04-11T10:00:00.000Z")), "cmd-8");
  s = record(
    "checkin of an item not on loan, at another institution",
    s,
    decideCheckin(
      checkin({ institutionId: "branch", location: "Branch desk" }),
      s.state,
      checkinFacts({ item: item({ title: "Renamed again", titleId: "t-3" }) }),
      new Date("2025-04-11T11:00:00.000Z"),
    ),
    "cmd-9",
    { holdId: "", destination: "Main", inTransit: true },
  );
  const hours: ResolvedRule = { ...RULE, period: { unit: "hours", length: 4 }, renewalLimit: UNLIMITED, fine: { perDay: 100, max: 0, graceDays: 0 } };
  const bob = patron({ patronId: "p-bob", barcode: "21000002", institutionId: "branch" });
  s = record(
    "new loan on an hour rule without renewal limit or fine cap",
    s,
    decideCheckout(checkout({ patronBarcode: "21000002", loanId: "loan-2" }), s.state, checkoutFacts({ patron: bob, rule: hours, currency: "CHF" }), new Date("2025-04-12T10:00:00.000Z")),
    "cmd-10",
  );
  s = record("checkin cancel of a new loan", s, decideCheckin(checkin({ cancel: true }), s.state, checkinFacts(), new Date("2025-04-12T10:00:03.000Z")), "cmd-11");
  states.push(s);

  // Item 31000002: an imported loan, imported again, then lent offline to Bob.
  const dune = item({ itemId: "item-2", barcode: "31000002", title: "Dune", titleId: "t-20" });
  const ann = { patronId: "p-ann", institutionId: "main", barcode: "21000001", patronType: "adult" };
  const imported = { type: "ImportLoan" as const, loanId: "loan-3", loanedAt: new Date("2025-02-01T09:00:00.000Z"), dueAt: new Date("2025-02-15T22:59:59.000Z"), renewals: 2 };
  const importFacts = { patron: ann, item: dune, rule: { ...RULE, renewalLimit: UNLIMITED, maxItems: UNLIMITED }, currency: "EUR", circulatedSinceImport: false };
  let s2 = initialStream();
  s2 = record("import", s2, decideImportLoan(imported, s2.state, importFacts), "import:1");
  s2 = record(
    "re-import with another due date",
    s2,
    decideImportLoan({ ...imported, loanId: "loan-4", dueAt: new Date("2025-02-16T22:59:59.000Z") }, s2.state, importFacts),
    "import:2",
  );
  const lentOffline = new Date("2025-03-11T10:00:00.000Z");
  s2 = record(
    "offline checkout to another patron closes the imported loan",
    s2,
    decideCheckout(
      checkout({ itemBarcode: "31000002", patronBarcode: "21000002", transactionAt: lentOffline, loanId: "loan-5" }),
      s2.state,
      checkoutFacts({ item: dune, patron: bob, rule: NO_RULE, terminal: terminal({ noBlock: true }) }),
      new Date("2025-03-12T10:00:00.000Z"),
    ),
    "cmd-12",
    null,
    lentOffline,
  );
  states.push(s2);
  return { steps, states };
}

const storedIn = (steps: readonly Step[]) => steps.flatMap((step) => step.events as { type: string; data: unknown }[]);

describe("the stored and published events", () => {
  const { steps, states } = story();

  it.each(STORED.map((step, i) => [step.label, i] as const))("%s: the same proto3 JSON as before", (label, i) => {
    expect(steps[i]!.label).toBe(label);
    expect(steps[i]!.events).toEqual(STORED[i]!.events);
  });

  it("the fold reads back from the stored JSON the state the decisions left", () => {
    const stored = storedIn(steps);
    const first = stored.filter((e) => (e.data as { item: { barcode: string } }).item.barcode === "31000001");
    const second = stored.filter((e) => (e.data as { item: { barcode: string } }).item.barcode === "31000002");
    const refold = (events: typeof stored) => fold(evolve, initialState(), events.map((e) => fromStoredEvent("loan", e)!));
    expect(refold(first)).toEqual(states[0]!.state);
    expect(refold(second)).toEqual(states[1]!.state);
  });

  it("a checkin carries what the fee service assesses from: patron, title, institution, zone and the fine policy in its currency", () => {
    const late = STORED.find((s) => s.label.startsWith("late checkin"))!.events[0]!;
    expect(late.data).toMatchObject({
      loanId: "loan-1",
      patron: { institutionId: "main", barcode: "21000001" },
      title: "The Name of the Rose",
      institutionId: "main",
      timeZone: "Europe/Berlin",
      overdueDays: 15,
      finePolicy: { perDay: { currency: "EUR", amountMinor: 25 }, max: { currency: "EUR", amountMinor: 500 }, graceDays: 1 },
    });
  });

  it("a return of an item not on loan is an ItemCheckedIn without a loan", () => {
    const scanned = STORED.find((s) => s.label.startsWith("checkin of an item not on loan"))!.events[0]!;
    expect(scanned.type).toBe("ItemCheckedIn");
    expect(scanned.data).not.toHaveProperty("loanId");
    expect(scanned.data).not.toHaveProperty("current");
  });

  it("every stored event is a published contract event that the host's encoder packs, and none carries a PIN", () => {
    for (const stored of storedIn(steps)) {
      const codec = eventCatalog.get(stored.type)!.codec as unknown as { fromJSON(o: unknown): never };
      expect(unpackEvent(packEvent(stored.type as EventType, codec.fromJSON(stored.data))).type).toBe(stored.type);
      expect(JSON.stringify(stored.data).toLowerCase()).not.toContain("pin");
    }
  });
});

describe("folding a stored stream", () => {
  const recorded = (e: { type: string; data: unknown }, causationId: string): RecordedEvent =>
    ({ ...e, eventId: "", streamId: "", streamPosition: 1, globalPosition: 1n, metadata: { causationId }, occurredAt: new Date(0), recordedAt: new Date(0) }) as RecordedEvent;

  it("remembers the command of the last events, which a cancel reverses", () => {
    const stream = evolveStream(initialStream(), recorded(toStoredEvent(checkedOut()), "cmd-1"));
    expect(stream).toMatchObject({ lastCommandId: "cmd-1", lastEventType: "ItemCheckedOut", state: { status: "on_loan" } });
  });

  it("closes the loan on a checkin stored before checkins named their institution or carried the loan after them", () => {
    const legacy = toStoredEvent(domainEvent("ItemCheckedIn", { loanId: "loan-1", item: itemRef(), patronId: "p-ann", returnedAt: new Date("2025-03-10T08:00:00.000Z") }));
    expect(legacy.data).not.toHaveProperty("institutionId");
    const stream = [recorded(toStoredEvent(checkedOut()), "cmd-1"), recorded(legacy, "cmd-2")].reduce(evolveStream, initialStream());
    expect(stream.state).toMatchObject({ status: "none", cancellable: { kind: "checkin", returnedAt: new Date("2025-03-10T08:00:00.000Z") } });
  });

  it("skips an event type that is not the loan service's rather than failing the rebuild", () => {
    const before = evolveStream(initialStream(), recorded(toStoredEvent(checkedOut()), "cmd-1"));
    expect(evolveStream(before, recorded({ type: "ItemMarkedLost", data: { itemId: "item-1" } }, "cmd-2"))).toBe(before);
    expect(evolveStream(before, recorded({ type: "SomethingNew", data: {} }, "cmd-2"))).toBe(before);
  });
});
