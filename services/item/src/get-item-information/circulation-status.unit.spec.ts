import { describe, expect, it } from "vitest";
import { circulationStatus, type HoldFacts, type LoanFacts } from "./circulation-status.js";
import { given, givenIn } from "../domain/item.fixtures.js";

const onLoan: LoanFacts = { onLoan: true, dueDate: new Date("2025-07-01T21:59:59Z") };
const noLoan: LoanFacts = { onLoan: false };
const waiting: HoldFacts = { queueLength: 1, waitingOnShelf: true };
const noneWaiting: HoldFacts = { queueLength: 0, waitingOnShelf: false };

describe("circulation status (2-digit code in 18)", () => {
  it("03 available", () => expect(circulationStatus(givenIn("available"))).toBe("03"));
  it("04 charged", () => expect(circulationStatus(givenIn("on_loan"))).toBe("04"));
  it("08 waiting on hold shelf", () => expect(circulationStatus(givenIn("on_hold_shelf"))).toBe("08"));
  it("10 in transit", () => expect(circulationStatus(givenIn("in_transit"))).toBe("10"));
  it("11 claimed returned", () => expect(circulationStatus(givenIn("claimed_returned"))).toBe("11"));
  it("12 lost", () => expect(circulationStatus(givenIn("lost"))).toBe("12"));
  it("13 missing", () => expect(circulationStatus(givenIn("missing"))).toBe("13"));
  it("06 in process", () => expect(circulationStatus(givenIn("in_process"))).toBe("06"));
  it("01 other for an unknown item", () => expect(circulationStatus(given())).toBe("01"));

  it("07 recalled when the loan service reports a recall", () => {
    expect(circulationStatus(givenIn("on_loan"), { ...onLoan, recallDate: new Date("2025-06-20T10:00:00Z") })).toBe("07");
  });

  it("a loan fact is fresher than the item state: 04 although the item has not yet heard of the checkout", () => {
    expect(circulationStatus(givenIn("available"), onLoan)).toBe("04");
    expect(circulationStatus(givenIn("missing"), onLoan)).toBe("04");
  });

  it("the loan service says the loan is closed but the item still thinks on loan: 09 waiting to be re-shelved", () => {
    expect(circulationStatus(givenIn("on_loan"), noLoan)).toBe("09");
  });

  it("a hold fact is fresher than the item state: 08 when the hold service says it waits on the shelf", () => {
    expect(circulationStatus(givenIn("available"), noLoan, waiting)).toBe("08");
  });

  it("on the hold shelf but no hold waits any more: 09 waiting to be re-shelved", () => {
    expect(circulationStatus(givenIn("on_hold_shelf"), noLoan, noneWaiting)).toBe("09");
  });

  it("lost and claimed returned win over an open loan (those states keep the loan open)", () => {
    expect(circulationStatus(givenIn("lost"), onLoan)).toBe("12");
    expect(circulationStatus(givenIn("claimed_returned"), onLoan)).toBe("11");
  });

  it("charged wins over a waiting hold: the item cannot be on the shelf while a patron has it", () => {
    expect(circulationStatus(givenIn("on_loan"), onLoan, waiting)).toBe("04");
  });

  it("facts that agree with the state change nothing", () => {
    expect(circulationStatus(givenIn("available"), noLoan, noneWaiting)).toBe("03");
    expect(circulationStatus(givenIn("in_transit"), noLoan, noneWaiting)).toBe("10");
    expect(circulationStatus(givenIn("in_process"), noLoan, noneWaiting)).toBe("06");
  });
});
