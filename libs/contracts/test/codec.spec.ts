import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type AcceptedCase,
  type CommandCase,
  commandRoutes,
  commands,
  common,
  events,
  gateway,
  newCommandEnvelope,
  refusedOutcome,
} from "../src/index.js";
import { checkout, terminal } from "./fixtures.js";

const roundTrip = <T>(codec: { encode(m: T): { finish(): Uint8Array }; decode(b: Uint8Array): T }, m: T): T =>
  codec.decode(codec.encode(m).finish());

describe("command envelopes on the wire", () => {
  it("survive encode and decode with the command, times and PIN intact", () => {
    const envelope = newCommandEnvelope({
      command: { $case: "checkOutItem", value: checkout() },
      terminal,
      replyTo: "10.0.0.7:7001",
      timeoutMs: 5_000,
      terminalTime: new Date("2025-02-01T10:00:00.000Z"),
      now: new Date("2025-02-01T10:00:01.250Z"),
    });
    const decoded = roundTrip(commands.CommandEnvelope, envelope);
    expect(decoded).toEqual(envelope);
    expect(decoded.deadline?.toISOString()).toBe("2025-02-01T10:00:06.250Z");
    expect(decoded.command?.$case).toBe("checkOutItem");
    if (decoded.command?.$case !== "checkOutItem") throw new Error("wrong case");
    expect(decoded.command.value.pin).toBe("1234");
    expect(decoded.command.value.noBlockDueDate?.toISOString()).toBe("2025-03-01T17:00:00.000Z");
  });

  it("carries the W3C trace context, and reads an envelope written without it as untraced", () => {
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const traced = newCommandEnvelope({
      command: { $case: "checkOutItem", value: checkout() },
      terminal,
      replyTo: "10.0.0.7:7001",
      timeoutMs: 5_000,
      trace: { traceparent, tracestate: "vendor=1" },
    });
    const decoded = roundTrip(commands.CommandEnvelope, traced);
    expect(decoded.traceparent).toBe(traceparent);
    expect(decoded.tracestate).toBe("vendor=1");
    // Fields 9 and 25 absent on the wire, as an older gateway sends them.
    const { traceparent: _tp, tracestate: _ts, ...older } = traced;
    const bytes = commands.CommandEnvelope.encode(commands.CommandEnvelope.fromPartial(older)).finish();
    const old = commands.CommandEnvelope.decode(bytes);
    expect(old.traceparent).toBe("");
    expect(old.command?.$case).toBe("checkOutItem");
  });

  it("tells an absent PIN from an empty one", () => {
    const absent = commands.GetPatronStatus.fromPartial({ patron: { institutionId: "main", barcode: "P1" } });
    const empty = commands.GetPatronStatus.fromPartial({ patron: { institutionId: "main", barcode: "P1" }, pin: "" });
    expect(roundTrip(commands.GetPatronStatus, absent).pin).toBeUndefined();
    expect(roundTrip(commands.GetPatronStatus, empty).pin).toBe("");
  });

  it("carries every command case", () => {
    const cases: commands.CommandEnvelope["command"][] = [
      { $case: "getPatronStatus", value: commands.GetPatronStatus.fromPartial({ language: common.Language.FRENCH }) },
      {
        $case: "getPatronInformation",
        value: commands.GetPatronInformation.fromPartial({
          summary: commands.PatronInformationSummary.CHARGED_ITEMS,
          startItem: 1,
          endItem: 5,
        }),
      },
      { $case: "blockPatron", value: commands.BlockPatron.fromPartial({ cardRetained: true, message: "kept" }) },
      { $case: "enablePatron", value: commands.EnablePatron.fromPartial({}) },
      { $case: "endPatronSession", value: commands.EndPatronSession.fromPartial({ pin: "9" }) },
      { $case: "checkOutItem", value: checkout() },
      { $case: "checkInItem", value: commands.CheckInItem.fromPartial({ returnDate: new Date(0), currentLocation: "X" }) },
      { $case: "renewItem", value: commands.RenewItem.fromPartial({ titleIdentifier: "T", thirdPartyAllowed: true }) },
      { $case: "renewAll", value: commands.RenewAll.fromPartial({ feeAcknowledged: true }) },
      { $case: "placeHold", value: commands.PlaceHold.fromPartial({ holdType: common.HoldType.ANY_COPY }) },
      { $case: "cancelHold", value: commands.CancelHold.fromPartial({ titleIdentifier: "T" }) },
      { $case: "changeHold", value: commands.ChangeHold.fromPartial({ pickupLocation: "NORTH" }) },
      {
        $case: "payFee",
        value: commands.PayFee.fromPartial({
          paymentType: common.PaymentType.CASH,
          amount: { currency: "USD", amountMinor: 11557 },
        }),
      },
      { $case: "getItemInformation", value: commands.GetItemInformation.fromPartial({}) },
      { $case: "updateItemStatus", value: commands.UpdateItemStatus.fromPartial({ itemProperties: "p" }) },
    ];
    for (const command of cases) {
      const envelope = commands.CommandEnvelope.fromPartial({ commandId: "c", command });
      expect(roundTrip(commands.CommandEnvelope, envelope).command).toEqual(command);
    }
    expect(new Set(cases.map((c) => c?.$case)).size).toBe(15);
  });
});

describe("outcomes on the wire", () => {
  it("round-trip an accepted checkout with everything a 12 response needs", () => {
    const outcome = commands.Outcome.fromPartial({
      commandId: "cmd-1",
      correlationId: "corr-1",
      decidedAt: new Date("2025-02-01T10:00:02.000Z"),
      result: {
        $case: "accepted",
        value: {
          payload: {
            $case: "checkOutItem",
            value: {
              loanId: "loan-1",
              patronId: "pat-1",
              item: {
                itemId: "it-1",
                item: { institutionId: "main", barcode: "I0001" },
                title: "Moby Dick",
                mediaType: common.MediaType.BOOK,
                magneticMedia: false,
                permanentLocation: "STACKS",
              },
              dueAt: new Date("2025-02-22T17:00:00.000Z"),
              renewal: false,
              desensitize: true,
              fee: { feeType: common.FeeType.RENTAL, amount: { currency: "USD", amountMinor: 150 }, transactionId: "t1" },
            },
          },
        },
      },
    });
    const decoded = roundTrip(commands.Outcome, outcome);
    expect(decoded).toEqual(outcome);
    if (decoded.result?.$case !== "accepted" || decoded.result.value.payload?.$case !== "checkOutItem") {
      throw new Error("wrong case");
    }
    const accepted = decoded.result.value.payload.value;
    expect(accepted.item?.magneticMedia).toBe(false);
    expect(accepted.item?.mediaType).toBe("MEDIA_TYPE_BOOK");
    expect(accepted.fee?.amount?.amountMinor).toBe(150);
  });

  it("round-trip a refusal with the partial data its response still needs", () => {
    const outcome = refusedOutcome(
      { commandId: "cmd-2", correlationId: "corr-2" },
      commands.RefusalReason.FEE_ACKNOWLEDGEMENT_REQUIRED,
      "rental fee 1.50 USD not acknowledged",
      {
        item: common.ItemSummary.fromPartial({ itemId: "it-1", title: "Moby Dick", mediaType: common.MediaType.BOOK }),
        fee: { feeId: "", feeType: common.FeeType.RENTAL, amount: { currency: "USD", amountMinor: 150 }, transactionId: "" },
        patron: common.PatronStanding.fromPartial({
          name: "Ann",
          validPatron: true,
          pinValid: true,
          status: { chargePrivilegesDenied: false, excessiveOutstandingFines: true },
        }),
      },
      new Date("2025-02-01T10:00:02.000Z"),
    );
    const decoded = roundTrip(commands.Outcome, outcome);
    expect(decoded).toEqual(commands.Outcome.fromPartial(outcome));
    if (decoded.result?.$case !== "refused") throw new Error("wrong case");
    expect(decoded.result.value.reason).toBe("REFUSAL_REASON_FEE_ACKNOWLEDGEMENT_REQUIRED");
    expect(decoded.result.value.patron?.status?.excessiveOutstandingFines).toBe(true);
    expect(decoded.result.value.item?.title).toBe("Moby Dick");
  });

  it("decodes a refusal reason newer than the reader as UNRECOGNIZED instead of failing", () => {
    // Field 1 (reason), varint 999: a value this build does not know.
    const bytes = Uint8Array.from([0x08, 0xe7, 0x07]);
    expect(commands.Refused.decode(bytes).reason).toBe(commands.RefusalReason.UNRECOGNIZED);
  });

  it("wraps outcomes in the gateway's delivery request", () => {
    const request: gateway.DeliverRequest = {
      outcome: refusedOutcome({ commandId: "a", correlationId: "b" }, commands.RefusalReason.ITEM_NOT_FOUND, "no item"),
    };
    expect(roundTrip(gateway.DeliverRequest, request)).toEqual(request);
  });

  it("names accepted payload cases after the command cases they answer", () => {
    expectTypeOf<AcceptedCase>().toEqualTypeOf<CommandCase>();
    for (const name of Object.keys(commandRoutes)) {
      expect(commands.Accepted.fromJSON({ [name]: {} }).payload?.$case).toBe(name);
    }
  });
});

describe("money and positions in int64", () => {
  it("keeps minor units exact up to Number.MAX_SAFE_INTEGER", () => {
    const big: common.Money = { currency: "USD", amountMinor: Number.MAX_SAFE_INTEGER };
    expect(roundTrip(common.Money, big)).toEqual(big);
    const negative: common.Money = { currency: "EUR", amountMinor: -250 };
    expect(roundTrip(common.Money, negative)).toEqual(negative);
  });

  it("round-trips an event envelope with its positions and bytes", () => {
    const envelope: events.EventEnvelope = events.EventEnvelope.fromPartial({
      eventId: "e-1",
      streamId: "loan-it-1",
      streamPosition: 3,
      type: "ItemCheckedOut",
      occurredAt: new Date("2025-02-01T10:00:00.000Z"),
      recordedAt: new Date("2025-02-01T10:00:00.120Z"),
      institutionId: "main",
      correlationId: "corr-1",
      causationId: "cmd-1",
      offline: true,
      payload: Buffer.from([1, 2, 3]),
      payloadType: "library.loan.v1.ItemCheckedOut",
      globalPosition: 2 ** 40,
    });
    expect(roundTrip(events.EventEnvelope, envelope)).toEqual(envelope);
  });
});
