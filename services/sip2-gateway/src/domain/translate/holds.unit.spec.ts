import { commands, common } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { renderOutcome, renderUnavailable, translateRequest } from "./index.js";
import { accepted, answerOf, CTX, commandOf, money, refused, request, wire } from "./translate.fixtures.js";

const hold = (mode: string, extra = "AB31234000067890|") =>
  `15${mode}20250115    103005BW20250301    120000|BSEAST|BY2|AOMAIN|AA21234000012345|ADpin1|${extra}BOY|`;
const EXPIRES = new Date("2025-03-01T18:00:00Z");
const R = commands.RefusalReason;

function holdAccepted($case: "placeHold" | "cancelHold" | "changeHold", overrides: Partial<commands.HoldAccepted> = {}) {
  return accepted({
    $case,
    value: commands.HoldAccepted.create({
      holdId: "h1",
      available: false,
      queuePosition: 3,
      expiresAt: EXPIRES,
      pickupLocation: "EAST",
      item: { institutionId: "MAIN", barcode: "31234000067890" },
      title: "The Hobbit",
      ...overrides,
    }),
  });
}

describe("15 Hold → Place/Cancel/ChangeHold", () => {
  it("places a hold on + with pickup, expiry, hold type and fee acknowledgement", () => {
    const cmd = commandOf(translateRequest(request(hold("+")), CTX));
    if (cmd?.$case !== "placeHold") throw new Error(`wrong case ${cmd?.$case}`);
    expect(cmd.value.patron?.barcode).toBe("21234000012345");
    expect(cmd.value.pin).toBe("pin1");
    expect(cmd.value.item?.barcode).toBe("31234000067890");
    expect(cmd.value.pickupLocation).toBe("EAST");
    expect(cmd.value.expiresAt?.toISOString()).toBe(EXPIRES.toISOString());
    expect(cmd.value.holdType).toBe(common.HoldType.ANY_COPY);
    expect(cmd.value.feeAcknowledged).toBe(true);
  });

  it("cancels on - and changes on *", () => {
    expect(commandOf(translateRequest(request(hold("-")), CTX))?.$case).toBe("cancelHold");
    const change = commandOf(translateRequest(request(hold("*", "AJThe Hobbit|")), CTX));
    if (change?.$case !== "changeHold") throw new Error("wrong case");
    expect(change.value.item).toBeUndefined();
    expect(change.value.titleIdentifier).toBe("The Hobbit");
  });

  it("refuses locally an unknown mode or a hold naming neither item nor title", () => {
    for (const text of [hold("?"), hold("+", "")]) {
      const out = wire(answerOf(translateRequest(request(text), CTX)));
      expect(out.slice(0, 4)).toBe("160N");
      expect(out).toContain("AFRequest not understood. Please see staff.|");
    }
  });
});

describe("16 Hold Response", () => {
  it("renders a placed hold: queue position, expiry in the terminal's zone, pickup, item and title", () => {
    expect(wire(renderOutcome(request(hold("+")), holdAccepted("placeHold"), CTX))).toBe(
      "161N20250115    103100BW20250301    120000|BR3|BSEAST|AOMAIN|AA21234000012345|AB31234000067890|AJThe Hobbit|AFHold placed.|",
    );
  });

  it("says available=Y when a copy can be had now, and mentions a hold fee", () => {
    const fee = common.FeeNotice.create({ feeType: common.FeeType.HOLD, amount: money("USD", 100) });
    const out = wire(renderOutcome(request(hold("+")), holdAccepted("placeHold", { available: true, queuePosition: 0, fee }), CTX));
    expect(out.slice(0, 4)).toBe("161Y");
    expect(out).not.toContain("|BR");
    expect(out).toContain("|AFHold placed.|AFA hold fee of 1.00 USD applies.|");
  });

  it("confirms a cancel", () => {
    const out = wire(renderOutcome(request(hold("-")), holdAccepted("cancelHold", { queuePosition: 0 }), CTX));
    expect(out).toContain("AFHold cancelled.|");
  });

  it("does not take a place-hold answer for a cancel request", () => {
    const out = wire(renderOutcome(request(hold("-")), holdAccepted("placeHold"), CTX));
    expect(out.slice(0, 3)).toBe("160");
  });

  it("renders a refusal with the request's item and title", () => {
    const out = wire(renderOutcome(request(hold("+", "AB3123|AJDune|")), refused(R.HOLD_ALREADY_PLACED), CTX));
    expect(out).toBe("160N20250115    103100AOMAIN|AA21234000012345|AB3123|AJDune|AFYou already have a hold on this item.|");
  });

  it("answers an outage with ok=0", () => {
    expect(wire(renderUnavailable(request(hold("+")), CTX, "timeout")).slice(0, 4)).toBe("160N");
  });
});
