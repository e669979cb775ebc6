import { acceptedOutcome, commands, common, history, newCommandEnvelope, refusedOutcome } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { historyQuery, InvalidArgumentError, refusalRecord } from "../src/index.js";

const R = commands.RefusalReason;
const terminal = common.Terminal.fromPartial({ account: "sorter1", institutionId: "MAIN", location: "MAIN" });
const checkin = newCommandEnvelope({
  command: { $case: "checkInItem", value: commands.CheckInItem.fromPartial({ item: { institutionId: "MAIN", barcode: "I0002" } }) },
  terminal,
  replyTo: "127.0.0.1:1",
  timeoutMs: 5_000,
});
const stored = (o: commands.Outcome) => commands.Outcome.toJSON(o);

describe("the refusal kept for the history", () => {
  it("is nothing for an accepted outcome or a value that is no outcome", () => {
    expect(refusalRecord(checkin, stored(acceptedOutcome(checkin, { $case: "checkInItem", value: commands.CheckInItemAccepted.fromPartial({}) })))).toBeUndefined();
    expect(refusalRecord(checkin, { status: "accepted" })).toBeUndefined();
    expect(refusalRecord(checkin, null)).toBeUndefined();
  });

  it("takes the patron of a check-in from the refusal's standing, since the command names none", () => {
    const refused = refusedOutcome(checkin, R.NOT_ON_LOAN, "nothing to return", {
      patron: common.PatronStanding.fromPartial({ patronId: "p-5", patron: { institutionId: "MAIN", barcode: "P0005" } }),
    });
    expect(refusalRecord(checkin, stored(refused))).toMatchObject({
      command_type: "checkInItem",
      terminal_account: "sorter1",
      patron_barcode: "P0005",
      patron_id: "p-5",
      item_barcode: "I0002",
      reason: R.NOT_ON_LOAN,
      screen_message: "This item is not on loan.",
    });
  });

  it("reads a reason from a newer contract as the generic screen message", () => {
    const refused = { ...stored(refusedOutcome(checkin, R.NOT_ON_LOAN, "x")) as object, refused: { reason: "REFUSAL_REASON_FROM_THE_FUTURE" } };
    expect(refusalRecord(checkin, refused)?.screen_message).toBe("Sorry, this could not be done. Please see staff.");
  });
});

describe("a history request", () => {
  const patron = { $case: "patron" as const, value: common.PatronRef.fromPartial({ institutionId: "MAIN", barcode: "P0001" }) };
  it("defaults to 50 entries", () => {
    expect(historyQuery(history.ListHistoryRequest.fromPartial({ subject: patron }))).toEqual({
      subject: { kind: "patron", institution: "MAIN", barcode: "P0001" },
      limit: 50,
      before: undefined,
    });
  });

  it("names every problem of a bad request", () => {
    const bad = history.ListHistoryRequest.fromPartial({ subject: { $case: "item", value: { institutionId: "", barcode: "" } }, limit: -1 });
    expect(() => historyQuery(bad)).toThrow(new InvalidArgumentError(["institution_id is required", "barcode is required", "limit must be between 1 and 500"]));
  });
});
