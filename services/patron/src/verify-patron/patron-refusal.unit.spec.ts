import { describe, expect, it } from "vitest";
import { aPolicy, aUsage, blockedBy, cardLost, givenRegistered, NOW, ZONE } from "../domain/patron.fixtures.js";
import { patronRefusal } from "./patron-refusal.js";
import { standing, unknownPatronStanding } from "../domain/standing.js";
import type { PatronVerification } from "./verify-patron.decider.js";
import type { PinCheck } from "../domain/pin-lock.js";

function verification(pin: PinCheck, usage = aUsage(), ...events: Parameters<typeof givenRegistered>): PatronVerification {
  return { found: true, pin, pinLocked: pin === "locked", standing: standing(givenRegistered(...events), aPolicy(), usage, NOW, ZONE) };
}

describe("naming the refusal for another service's action", () => {
  it("an unknown patron is patron_not_found", () => {
    expect(patronRefusal({ found: false, pin: "not_checked", pinLocked: false, standing: unknownPatronStanding() }, "charge")).toBe(
      "patron_not_found",
    );
  });

  it("a locked PIN is pin_locked, a wrong one pin_invalid", () => {
    expect(patronRefusal(verification("locked"), "charge")).toBe("pin_locked");
    expect(patronRefusal(verification("wrong"), "charge")).toBe("pin_invalid");
  });

  it("no PIN is pin_invalid only where the terminal requires one", () => {
    expect(patronRefusal(verification("not_checked"), "charge")).toBeUndefined();
    expect(patronRefusal(verification("not_checked"), "charge", { pinRequired: true })).toBe("pin_invalid");
  });

  it("names the first cause that denies the privilege: blocked before limits", () => {
    const v = verification("ok", aUsage({ charged: 10 }), blockedBy(false, "", "kiosk1"));
    expect(patronRefusal(v, "charge")).toBe("patron_blocked");
  });

  it("ignores causes that do not deny the privilege: too many charged refuses a checkout, not a renewal", () => {
    const v = verification("ok", aUsage({ charged: 10 }));
    expect(patronRefusal(v, "charge")).toBe("loan_limit");
    expect(patronRefusal(v, "renewal")).toBeUndefined();
  });

  it("maps each cause to the refusal reason of docs/services.md", () => {
    expect(patronRefusal(verification("ok", aUsage(), cardLost()), "hold")).toBe("card_lost");
    expect(patronRefusal(verification("ok", aUsage({ overdue: 3 })), "renewal")).toBe("overdue_limit");
    expect(patronRefusal(verification("ok", aUsage({ fineBalance: 501 })), "hold")).toBe("fines_over_limit");
    const expired = { found: true, pin: "ok", pinLocked: false, standing: standing(givenRegistered(), aPolicy(), aUsage(), new Date("2030-01-01"), ZONE) } as const;
    expect(patronRefusal(expired, "charge")).toBe("patron_expired");
  });

  it("a patron in good standing with the right PIN is not refused", () => {
    expect(patronRefusal(verification("ok"), "charge")).toBeUndefined();
  });
});
