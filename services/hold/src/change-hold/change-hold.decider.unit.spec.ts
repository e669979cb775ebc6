import { domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { at, given, INSTITUTION, idOf, key, placed, TITLE, trapped } from "../domain/hold.fixtures.js";
import { decideChangeHold } from "./change-hold.decider.js";

const now = "2025-03-01T12:00:00Z";
const history = [placed("h-1", "P1"), placed("h-2", "P2"), placed("h-3", "P3", { expiresAt: "2025-05-01T00:00:00Z" })];
const ref = (patron: string) => ({ patronKey: key(patron), institution: INSTITUTION, titleKey: TITLE, holdId: null });

describe("ChangeHold (15 *)", () => {
  const facts = { pickupLocations: ["MAIN", "EAST"] };

  it("changes the pickup location and expiry, keeping the hold's place", () => {
    const d = decideChangeHold({ ...ref("P2"), pickupLocation: "EAST", expiresAt: "2025-09-01T00:00:00Z" }, given(...history), facts, now);
    expect(d).toMatchObject({
      outcome: "accepted",
      events: [
        domainEvent("HoldChanged", { holdId: "h-2", pickupLocation: "EAST", expiresAt: at("2025-09-01T00:00:00Z"), patronId: idOf("P2"), titleId: TITLE }),
      ],
      data: { holdId: "h-2", queuePosition: 2, pickupLocation: "EAST", expiresAt: "2025-09-01T00:00:00Z", available: false },
    });
  });

  it("leaves a field the message did not carry as it was", () => {
    const d = decideChangeHold({ ...ref("P3"), pickupLocation: "EAST", expiresAt: null }, given(...history), facts, now);
    expect(d.events[0]?.data).toMatchObject({ pickupLocation: "EAST", expiresAt: at("2025-05-01T00:00:00Z") });
  });

  it("records nothing when nothing changes", () => {
    expect(decideChangeHold({ ...ref("P2"), pickupLocation: "MAIN", expiresAt: null }, given(...history), facts, now)).toMatchObject({
      outcome: "accepted",
      events: [],
      data: { queuePosition: 2 },
    });
  });

  it("refuses when the patron has no hold on the title", () => {
    expect(decideChangeHold({ ...ref("P9"), pickupLocation: "EAST", expiresAt: null }, given(...history), facts, now)).toMatchObject({
      reason: "hold_not_found",
    });
  });

  it("refuses an invalid pickup location and an expiry in the past", () => {
    const q = given(...history);
    expect(decideChangeHold({ ...ref("P2"), pickupLocation: "MOON", expiresAt: null }, q, facts, now)).toMatchObject({ reason: "pickup_location_invalid" });
    expect(decideChangeHold({ ...ref("P2"), pickupLocation: null, expiresAt: "2024-01-01T00:00:00Z" }, q, facts, now)).toMatchObject({
      reason: "expiry_in_past",
    });
  });

  it("refuses to move the pickup of a hold whose copy is already trapped, but lets its expiry change", () => {
    const q = given(...history, trapped("h-1", "P1", "I1"));
    expect(decideChangeHold({ ...ref("P1"), pickupLocation: "EAST", expiresAt: null }, q, facts, now)).toMatchObject({ reason: "hold_already_trapped" });
    expect(decideChangeHold({ ...ref("P1"), pickupLocation: null, expiresAt: "2025-12-01T00:00:00Z" }, q, facts, now)).toMatchObject({
      outcome: "accepted",
      data: { available: true, itemBarcode: "I1" },
    });
  });
});
