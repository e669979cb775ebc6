import { readFileSync } from "node:fs";
import { type common, type DomainEvent, domainEvent, toStoredEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { decideCancelHold } from "../cancel-hold/cancel-hold.decider.js";
import { decideChangeHold } from "../change-hold/change-hold.decider.js";
import { copyRef, patronKey } from "../domain/index.js";
import { decideExpireHolds } from "../expire-holds/expire-holds.decider.js";
import { decideFulfilHold } from "../fulfil-hold/fulfil-hold.decider.js";
import { decidePlaceHold, type PlaceHoldFacts } from "../place-hold/place-hold.decider.js";
import { decideApplyCheckinTrap } from "../trap-on-checkin/trap-on-checkin.decider.js";
import { withFields, withItemIds } from "./event-fields.js";
import { evolveQueueState, IMPORT_METADATA, initialQueueState, withCurrent } from "./queue.state.js";

type HoldEvent = DomainEvent<"hold">;
interface Step {
  readonly step: string;
  readonly events: readonly { readonly type: string; readonly occurredAt: string; readonly data: unknown }[];
}

/**
 * What the service stores (and the relay publishes) for every kind of event,
 * as the hand-written codec wrote it before the messages became the domain
 * events: `stored-events.golden.json` was captured from that codec for the
 * same situations. Existing streams and peers read exactly this JSON.
 */
const golden: Step[] = JSON.parse(readFileSync(new URL("./stored-events.golden.json", import.meta.url), "utf8"));

const INST = "MAIN";
const TITLE = "bib-1";
const T0 = Date.parse("2025-03-01T10:00:00.000Z");
const at = (min: number) => new Date(T0 + min * 60_000);
const P = (barcode: string, own?: boolean): common.PatronRef => ({ institutionId: INST, barcode, ownInstitutionOnly: own });
const FACTS: PlaceHoldFacts = {
  patron: { found: true, holdPrivilegesDenied: false },
  target: { found: true, holdable: true, availableNow: false },
  defaultPickupLocation: null,
  pickupLocations: null,
};

function accepted<E, A>(d: { outcome: "accepted"; events: readonly E[]; data: A } | { outcome: "refused" }): readonly E[] {
  if (d.outcome !== "accepted") throw new Error(`refused: ${JSON.stringify(d)}`);
  return d.events;
}

/** The same situations as the golden file, decided and completed the way the handlers do it. */
function storeAll(): Step[] {
  let state = initialQueueState(INST, TITLE);
  const out: Step[] = [];
  const rec = (step: string, events: readonly HoldEvent[], when: Date, metadata?: typeof IMPORT_METADATA) => {
    const stored = withCurrent(state, events, when, metadata).map((e) => toStoredEvent(e));
    for (const x of stored) state = evolveQueueState(state, { type: x.type, data: JSON.parse(JSON.stringify(x.data)), occurredAt: when, metadata });
    out.push({ step, events: stored.map((x) => ({ type: x.type, occurredAt: when.toISOString(), data: x.data })) });
  };
  const place = (step: string, m: number, holdId: string, patron: common.PatronRef, holdType: string, itemBarcode: string | null, pickup: string, expiresAt: string | null, fill: { patronId: string; itemId: string; terminalAccount: string }) => {
    const command = { holdId, patron, institution: INST, titleKey: TITLE, holdType, itemBarcode, pickupLocation: pickup, expiresAt };
    const events = accepted(decidePlaceHold(command, state.queue, FACTS, at(m).toISOString())).map((e) => ({
      ...e,
      data: { ...e.data, patronId: fill.patronId, itemId: e.data.item ? fill.itemId : "", title: "Moby", terminalAccount: fill.terminalAccount },
    }));
    rec(step, events, at(m));
  };
  const apply = (step: string, m: number, holdId: string, barcode: string, branch: string | null, where: string, inTransit: boolean, shelf: string, checkInId: string, itemId: string) => {
    const command = { holdId, inTransit, itemBarcode: barcode, itemBranch: branch, institution: INST, titleKey: TITLE, checkinLocation: where };
    const events = accepted(decideApplyCheckinTrap(command, state.queue, { shelfExpiresAt: shelf }, at(m).toISOString()));
    rec(step, withFields(withItemIds(events, new Map([[barcode, itemId]])), "HoldTrapped", { checkInId }), at(m));
  };
  const fulfil = (step: string, m: number, patron: string, barcode: string, branch: string | null, itemId: string, loanId: string) => {
    const command = { patronKey: patronKey(P(patron)), institution: INST, titleKey: TITLE, itemBarcode: barcode, itemBranch: branch, offline: true };
    const events = accepted(decideFulfilHold(command, state.queue));
    rec(step, withFields(withItemIds(events, new Map([[barcode, itemId]])), "HoldFulfilled", { loanId }), at(m));
  };
  const cancel = (step: string, m: number, patron: string, terminalAccount: string) => {
    const events = accepted(decideCancelHold({ patronKey: patronKey(P(patron)), institution: INST, titleKey: TITLE, holdId: null }, state.queue));
    rec(step, events.map((e) => ({ ...e, data: { ...e.data, reason: "patron", terminalAccount } })), at(m));
  };

  place("place a title hold naming a copy, at a kiosk", 1, "h1", P("P1", true), "2", "I1", "MAIN", null, { patronId: "pat-1", itemId: "item-1", terminalAccount: "kiosk-1" });
  place("place a copy hold with an expiry", 2, "h2", P("P2", false), "3", "I2", "EAST", "2025-06-01T00:00:00.000Z", { patronId: "pat-2", itemId: "item-2", terminalAccount: "" });
  place("place a branch hold", 3, "h3", P("P3"), "4", null, "EAST", null, { patronId: "pat-3", itemId: "", terminalAccount: "kiosk-3" });
  const change = { patronKey: patronKey(P("P2")), institution: INST, titleKey: TITLE, holdId: null, pickupLocation: "MAIN", expiresAt: "2025-07-01T00:00:00.000Z" };
  rec("change pickup and expiry", accepted(decideChangeHold(change, state.queue, { pickupLocations: null }, at(4).toISOString())), at(4));
  apply("trap on the shelf at checkin", 5, "h1", "I1", "MAIN", "MAIN", false, "2025-03-08T10:05:00.000Z", "cmd-5", "item-1");
  apply("checked in elsewhere: back in transit", 6, "h1", "I1", "MAIN", "WEST", true, "2025-03-08T10:06:00.000Z", "cmd-6", "item-1");
  apply("arrives at its pickup", 7, "h1", "I1", "MAIN", "MAIN", false, "2025-03-09T10:07:00.000Z", "cmd-7", "item-1");
  apply("trapped in transit", 8, "h2", "I2", "WEST", "WEST", true, "2025-03-08T10:08:00.000Z", "cmd-8", "item-2");
  fulfil("no-block checkout of a copy trapped for another", 9, "P3", "I1", "EAST", "item-1", "loan-9");
  apply("trap another copy on the shelf", 10, "h1", "I4", "MAIN", "MAIN", false, "2025-03-08T10:10:00.000Z", "cmd-10", "item-4");
  fulfil("borrowed another copy: the trapped one is released", 11, "P1", "I9", "MAIN", "item-9", "loan-11");
  place("place a hold expiring soon", 12, "h4", P("P4"), "2", null, "MAIN", "2025-03-01T12:00:00.000Z", { patronId: "pat-4", itemId: "", terminalAccount: "kiosk-1" });
  place("place a title hold", 13, "h5", P("P5"), "2", null, "MAIN", null, { patronId: "pat-5", itemId: "", terminalAccount: "kiosk-1" });
  apply("trap for a named hold past the head", 14, "h5", "I5", "MAIN", "MAIN", false, "2025-03-01T11:00:00.000Z", "cmd-14", "item-5");
  rec("expiry sweep", accepted(decideExpireHolds({ institution: INST, titleKey: TITLE }, state.queue, at(24 * 60).toISOString())), at(24 * 60));
  cancel("cancel a trapped hold at a kiosk", 1500, "P2", "kiosk-2");
  place("place a hold to cancel", 1501, "h6", P("P6"), "2", null, "MAIN", null, { patronId: "pat-6", itemId: "", terminalAccount: "" });
  cancel("cancel a waiting hold", 1502, "P6", "");

  // The admin import builds its events as upsert-holds does.
  const now = at(1600);
  const imp = (step: string, events: readonly HoldEvent[], itemIds: Map<string, string>) => rec(step, withItemIds(events, itemIds), now, IMPORT_METADATA);
  const base = (holdId: string, b: string) => ({ holdId, patronId: `pat-${b}`, titleId: TITLE });
  const copy = (barcode: string) => copyRef(INST, barcode);
  const placeAt = (holdId: string, b: string, holdType: string, itemBarcode: string | null, pickup: string, expiresAt: string | null, placedAt: string, externalId: string) =>
    accepted(
      decidePlaceHold({ holdId, patron: P(b), institution: INST, titleKey: TITLE, holdType, itemBarcode, pickupLocation: pickup, expiresAt }, state.queue, FACTS, placedAt),
    ).map((e) => ({ ...e, data: { ...e.data, patronId: `pat-${b}`, title: "Moby", externalId } }));
  const trap = (holdId: string, b: string, barcode: string, pickupLocation: string, pickupBy: string | null): HoldEvent[] => {
    const common = { ...base(holdId, b), item: copy(barcode), pickupLocation };
    const trapped = domainEvent("HoldTrapped", { ...common, location: pickupBy ? pickupLocation : "", inTransit: !pickupBy });
    return pickupBy ? [trapped, domainEvent("HoldShelved", { ...common, pickupBy: new Date(pickupBy) })] : [trapped];
  };
  imp("import an available hold", [...placeAt("h7", "P7", "2", null, "MAIN", null, "2025-01-15T09:00:00.000Z", "OLD-7"), ...trap("h7", "P7", "I7", "MAIN", "2025-03-05T00:00:00.000Z")], new Map([["I7", "item-7"]]));
  imp("import a copy hold in transit", [...placeAt("h8", "P8", "3", "I8", "EAST", "2025-09-01T00:00:00.000Z", "2025-01-16T09:00:00.000Z", "OLD-8"), ...trap("h8", "P8", "I8", "EAST", null)], new Map([["I8", "item-8"]]));
  imp("import a waiting hold", placeAt("h9", "P9", "2", null, "MAIN", null, "2025-01-17T09:00:00.000Z", "OLD-9"), new Map());
  imp(
    "import update: pickup, expiry, another copy in transit",
    [
      domainEvent("HoldChanged", { ...base("h7", "P7"), pickupLocation: "EAST", expiresAt: new Date("2025-08-01T00:00:00.000Z") }),
      domainEvent("HoldTrapReleased", { ...base("h7", "P7"), item: copy("I7"), reason: "staff" }),
      ...trap("h7", "P7", "I10", "EAST", null),
    ],
    new Map([["I10", "item-10"]]),
  );
  imp("import update: expiry removed", [domainEvent("HoldChanged", { ...base("h8", "P8"), pickupLocation: "EAST", expiresAt: undefined })], new Map([["I8", "item-8"]]));
  imp("import update: waiting hold now on the shelf", trap("h9", "P9", "I11", "MAIN", "2025-03-06T00:00:00.000Z"), new Map([["I11", "item-11"]]));
  imp(
    "import update: same trap, new pickup-by",
    [domainEvent("HoldShelved", { ...base("h9", "P9"), pickupLocation: "MAIN", pickupBy: new Date("2025-03-07T00:00:00.000Z"), item: copy("I11") })],
    new Map([["I11", "item-11"]]),
  );
  return out;
}

describe("stored hold events keep the JSON the codec wrote", () => {
  const stored = storeAll();

  it("covers the same situations, with the same event types in the same order", () => {
    expect(stored.map((s) => [s.step, s.events.map((e) => e.type)])).toEqual(golden.map((s) => [s.step, s.events.map((e) => e.type)]));
  });

  it("stores every event byte for byte as before, `current` included", () => {
    golden.forEach((g, i) => {
      expect(stored[i]?.events.map((e) => JSON.stringify(e)), g.step).toEqual(g.events.map((e) => JSON.stringify(e)));
    });
  });
});
