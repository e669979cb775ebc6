import { describe, expect, it } from "vitest";
import {
  acceptedOutcome,
  commandRoutes,
  commandSubject,
  commands,
  currencyDigits,
  DEFAULT_SUBJECT_PREFIX,
  deadlineRemainingMs,
  isPastDeadline,
  moneyFromDecimal,
  moneyToDecimal,
  newCommandEnvelope,
  answersOnlyItsAttempt,
  outcomeAnswers,
  refusedOutcome,
  SERVICE_NAMES,
  serviceCommandsSubject,
  serviceEventsSubject,
  uuidv7,
} from "../src/index.js";
import { checkout, terminal } from "./fixtures.js";

const uuidV7Pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newCommandEnvelope", () => {
  const now = new Date("2025-02-01T10:00:00.000Z");

  it("fills ids, institution, issue time and a deadline from the timeout budget", () => {
    const e = newCommandEnvelope({
      command: { $case: "checkOutItem", value: checkout() },
      terminal,
      replyTo: "127.0.0.1:7001",
      timeoutMs: 4_500,
      now,
    });
    expect(e.commandId).toMatch(uuidV7Pattern);
    expect(e.correlationId).toBe(e.commandId);
    expect(e.institutionId).toBe("main");
    expect(e.terminal).toEqual(terminal);
    expect(e.issuedAt).toEqual(now);
    expect(e.deadline).toEqual(new Date("2025-02-01T10:00:04.500Z"));
    expect(e.replyTo).toBe("127.0.0.1:7001");
  });

  it("keeps a given command id so a kiosk retry stays idempotent", () => {
    const input = {
      command: { $case: "checkInItem", value: commands.CheckInItem.fromPartial({}) },
      terminal,
      replyTo: "gw:1",
      commandId: "derived-from-request",
      correlationId: "corr",
      institutionId: "branch-2",
      deadline: new Date("2025-02-01T10:00:09.000Z"),
      now,
    } as const;
    const a = newCommandEnvelope(input);
    const b = newCommandEnvelope(input);
    expect(a.commandId).toBe("derived-from-request");
    expect(b).toEqual(a);
    expect(a.institutionId).toBe("branch-2");
    expect(a.deadline).toEqual(new Date("2025-02-01T10:00:09.000Z"));
  });

  it("refuses a non-positive timeout", () => {
    expect(() =>
      newCommandEnvelope({ command: { $case: "renewAll", value: commands.RenewAll.fromPartial({}) }, terminal, replyTo: "x", timeoutMs: 0 }),
    ).toThrow(RangeError);
  });
});

describe("deadlines", () => {
  const deadline = new Date("2025-02-01T10:00:05.000Z");

  it("treats a command as live before its deadline and dead from the deadline on", () => {
    expect(isPastDeadline({ deadline }, new Date("2025-02-01T10:00:04.999Z"))).toBe(false);
    expect(isPastDeadline({ deadline }, deadline)).toBe(true);
    expect(isPastDeadline({ deadline }, new Date("2025-02-01T10:00:06.000Z"))).toBe(true);
  });

  it("never applies a command that has no deadline", () => {
    expect(isPastDeadline({ deadline: undefined }, new Date(0))).toBe(true);
    expect(deadlineRemainingMs({ deadline: undefined })).toBe(0);
  });

  it("reports the budget left for downstream calls", () => {
    expect(deadlineRemainingMs({ deadline }, new Date("2025-02-01T10:00:04.250Z"))).toBe(750);
    expect(deadlineRemainingMs({ deadline }, new Date("2025-02-01T10:00:07.000Z"))).toBe(0);
  });
});

describe("subjects", () => {
  it("routes each command to the service that owns its decision", () => {
    expect(commandSubject("checkOutItem")).toBe("circ.cmd.loan.CheckOutItem");
    expect(commandSubject("getPatronStatus", "test.run42")).toBe("test.run42.cmd.patron.GetPatronStatus");
    expect(commandSubject({ command: { $case: "payFee", value: commands.PayFee.fromPartial({}) } })).toBe(
      "circ.cmd.fee.PayFee",
    );
    expect(commandSubject("placeHold")).toBe("circ.cmd.hold.PlaceHold");
    expect(commandSubject("getItemInformation")).toBe("circ.cmd.item.GetItemInformation");
  });

  it("names every command after its protobuf message", () => {
    for (const [name, route] of Object.entries(commandRoutes)) {
      expect(route.command.toLowerCase()).toBe(name.toLowerCase());
      expect(SERVICE_NAMES).toContain(route.service);
    }
  });

  it("gives each service wildcard subjects for its consumer and stream", () => {
    expect(DEFAULT_SUBJECT_PREFIX).toBe("circ");
    expect(serviceCommandsSubject("loan")).toBe("circ.cmd.loan.>");
    expect(serviceEventsSubject("hold", "ci")).toBe("ci.evt.hold.>");
  });

  it("rejects prefixes that would break subject matching", () => {
    for (const bad of ["", "a b", "circ.>", "*", "circ.", ".circ"]) {
      expect(() => commandSubject("renewAll", bad)).toThrow(RangeError);
    }
  });

  it("fails loudly on an envelope without a command", () => {
    expect(() => commandSubject({ command: undefined })).toThrow(TypeError);
  });
});

describe("outcome helpers", () => {
  const envelope = newCommandEnvelope({
    command: { $case: "checkOutItem", value: checkout() },
    terminal,
    replyTo: "gw:1",
    timeoutMs: 1000,
  });

  it("builds an accepted outcome that answers its command", () => {
    const at = new Date("2025-02-01T10:00:00.000Z");
    const outcome = acceptedOutcome(
      envelope,
      { $case: "checkOutItem", value: commands.CheckOutItemAccepted.fromPartial({ loanId: "l1" }) },
      at,
    );
    expect(outcome.commandId).toBe(envelope.commandId);
    expect(outcome.correlationId).toBe(envelope.correlationId);
    expect(outcome.decidedAt).toEqual(at);
    expect(outcome.replayed).toBe(false);
    expect(outcomeAnswers(envelope, outcome)).toBe(true);
  });

  it("does not let an answer to another command pass as this one's", () => {
    const wrongCase = acceptedOutcome(envelope, {
      $case: "checkInItem",
      value: commands.CheckInItemAccepted.fromPartial({}),
    });
    expect(outcomeAnswers(envelope, wrongCase)).toBe(false);
    const wrongId = refusedOutcome({ ...envelope, commandId: "other" }, commands.RefusalReason.ITEM_NOT_FOUND, "");
    expect(outcomeAnswers(envelope, wrongId)).toBe(false);
  });

  it("lets a decision of an earlier attempt answer a later attempt of the same command, never a transient refusal", () => {
    const later = { ...envelope, correlationId: "later-attempt" };
    const decided = acceptedOutcome(envelope, { $case: "checkOutItem", value: commands.CheckOutItemAccepted.fromPartial({ loanId: "l1" }) });
    expect(outcomeAnswers(later, decided)).toBe(true);
    expect(outcomeAnswers(later, refusedOutcome(envelope, commands.RefusalReason.ITEM_NOT_FOUND, ""))).toBe(true);
    for (const reason of [commands.RefusalReason.DEADLINE_EXCEEDED, commands.RefusalReason.BACKEND_UNAVAILABLE]) {
      const notDecided = refusedOutcome(envelope, reason, "");
      expect(answersOnlyItsAttempt(notDecided)).toBe(true);
      expect(outcomeAnswers(later, notDecided)).toBe(false);
      expect(outcomeAnswers(envelope, notDecided)).toBe(true);
    }
  });

  it("builds refusals that fit any command", () => {
    const outcome = refusedOutcome(envelope, commands.RefusalReason.PATRON_BLOCKED, "manual block");
    expect(outcome.result).toEqual({
      $case: "refused",
      value: commands.Refused.fromPartial({ reason: "REFUSAL_REASON_PATRON_BLOCKED", detail: "manual block" }),
    });
    expect(outcomeAnswers(envelope, outcome)).toBe(true);
  });
});

describe("uuidv7", () => {
  it("has version 7, the RFC variant, and the creation millisecond up front", () => {
    const ms = Date.UTC(2025, 1, 1, 10, 0, 0, 123);
    const id = uuidv7(ms);
    expect(id).toMatch(uuidV7Pattern);
    expect(Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(ms);
  });

  it("sorts by creation time across milliseconds and never repeats", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 10_000 }, () => uuidv7())).size).toBe(10_000);
  });
});

describe("money", () => {
  it("knows the minor-unit digits of a currency", () => {
    expect(currencyDigits("USD")).toBe(2);
    expect(currencyDigits("jpy")).toBe(0);
    expect(currencyDigits("BHD")).toBe(3);
    expect(() => currencyDigits("US")).toThrow(RangeError);
  });

  it("formats minor units as SIP2 plain decimals", () => {
    expect(moneyToDecimal({ currency: "USD", amountMinor: 11557 })).toBe("115.57");
    expect(moneyToDecimal({ currency: "USD", amountMinor: 5 })).toBe("0.05");
    expect(moneyToDecimal({ currency: "EUR", amountMinor: -250 })).toBe("-2.50");
    expect(moneyToDecimal({ currency: "JPY", amountMinor: 300 })).toBe("300");
    expect(moneyToDecimal({ currency: "BHD", amountMinor: 1005 })).toBe("1.005");
    expect(moneyToDecimal({ currency: "USD", amountMinor: 0 })).toBe("0.00");
  });

  it("parses plain decimals exactly and refuses to round", () => {
    expect(moneyFromDecimal("115.57", "USD")).toEqual({ currency: "USD", amountMinor: 11557 });
    expect(moneyFromDecimal(" 1.5 ", "usd")).toEqual({ currency: "USD", amountMinor: 150 });
    expect(moneyFromDecimal("20", "USD")).toEqual({ currency: "USD", amountMinor: 2000 });
    expect(moneyFromDecimal("-0.00", "USD")).toEqual({ currency: "USD", amountMinor: 0 });
    expect(moneyFromDecimal("0.10", "USD").amountMinor).toBe(10);
    expect(() => moneyFromDecimal("1.005", "USD")).toThrow(RangeError);
    expect(() => moneyFromDecimal("1,000.00", "USD")).toThrow(RangeError);
    expect(() => moneyFromDecimal("abc", "USD")).toThrow(RangeError);
    expect(() => moneyFromDecimal("99999999999999999", "USD")).toThrow(RangeError);
  });
});
