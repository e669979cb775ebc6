import { type EventType, eventCatalog, packEvent, unpackEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import type { CheckInCancelled, ItemCheckedIn, ItemCheckedInNotOnLoan, LoanEvent, LoanImported } from "../domain/index.js";
import { checkedOut, RULE, renewed } from "../domain/loan.fixtures.js";
import { type EventDetails, type LoanMeta, toStoredEvent } from "./events.codec.js";
import { fromStoredEvent } from "./events.decode.js";
import { UNLIMITED } from "./terms.codec.js";

const meta: LoanMeta = {
  loanId: "loan-1",
  itemId: "item-1",
  title: "The Name of the Rose",
  titleId: "t-1",
  patronInstitutionId: "main",
  currency: "EUR",
  terminalAccount: "kiosk-1",
};
const details: EventDetails = { timeZone: "Europe/Berlin", location: "Main desk", cancelledCommandId: "cmd-0", routing: null };

const checkedIn: ItemCheckedIn = {
  type: "ItemCheckedIn",
  institutionId: "main",
  itemBarcode: "31000001",
  terminalId: "kiosk-1",
  patronId: "p-ann",
  patronBarcode: "21000001",
  loanedAt: "2025-03-01T09:00:00.000Z",
  dueAt: "2025-03-15T22:59:59.000Z",
  returnedAt: "2025-03-18T08:00:00.000Z",
  checkedInAt: "2025-03-18T09:00:00.000Z",
  renewals: 1,
  overdue: true,
  overdueDays: 3,
  overdueOpenDays: 2,
  fine: RULE.fine,
  offline: false,
  location: "Main desk",
  closedBy: "checkin",
};
const imported: LoanImported = {
  type: "LoanImported",
  institutionId: "main",
  itemBarcode: "31000001",
  terminalId: "",
  patronId: "p-ann",
  patronBarcode: "21000001",
  patronType: "adult",
  itemType: "book",
  loanedAt: "2025-02-01T09:00:00.000Z",
  dueAt: "2025-02-15T22:59:59.000Z",
  renewals: 2,
  rule: { ...RULE, renewalLimit: UNLIMITED, maxItems: UNLIMITED },
};
const checkinCancelled: CheckInCancelled = {
  type: "CheckInCancelled",
  institutionId: "main",
  itemBarcode: "31000001",
  terminalId: "kiosk-2",
  patronId: "p-ann",
  patronBarcode: "21000001",
  loanedAt: "2025-03-01T09:00:00.000Z",
  dueAt: "2025-03-15T22:59:59.000Z",
  renewals: 1,
  rule: RULE,
  loanOffline: true,
  cancelledReturnedAt: "2025-03-10T08:00:00.000Z",
  cancelledAt: "2025-03-10T08:00:05.000Z",
};

/** Stored → jsonb → read back, as a rebuild would. */
const roundTrip = (event: LoanEvent) => {
  const stored = toStoredEvent(event, meta, details);
  return { stored, decoded: fromStoredEvent(stored.type, JSON.parse(JSON.stringify(stored.data))) };
};

describe("loan events codec", () => {
  it.each<[string, LoanEvent]>([
    ["ItemCheckedOut", checkedOut({ offline: true, kioskDueDate: true, holdFulfilled: true })],
    ["ItemCheckedOut with unlimited renewals and a hour loan", checkedOut({ rule: { ...RULE, period: { unit: "hours", length: 4 }, renewalLimit: UNLIMITED } })],
    ["LoanImported", imported],
    ["ItemCheckedIn", checkedIn],
    ["ItemCheckedIn closed by an offline checkout", { ...checkedIn, closedBy: "offline_checkout", offline: true, location: "" }],
    ["LoanRenewed by checkout", renewed({ via: "checkout" })],
    ["LoanRenewed by renew all", renewed({ via: "renew_all", offline: true })],
    ["LoanRenewed by renew", renewed({ via: "renew" })],
    [
      "CheckOutCancelled",
      { type: "CheckOutCancelled", institutionId: "main", itemBarcode: "31000001", terminalId: "k", patronId: "p-ann", patronBarcode: "21000001", loanedAt: "2025-03-01T09:00:00.000Z", dueAt: "2025-03-15T22:59:59.000Z", cancelledAt: "2025-03-01T09:00:03.000Z" },
    ],
    [
      "RenewalCancelled",
      { type: "RenewalCancelled", institutionId: "main", itemBarcode: "31000001", terminalId: "k", patronId: "p-ann", dueAt: "2025-03-15T22:59:59.000Z", renewals: 0, cancelledDueAt: "2025-03-29T22:59:59.000Z", cancelledAt: "2025-03-12T10:00:00.000Z" },
    ],
    ["CheckInCancelled", checkinCancelled],
  ])("reads back %s exactly as the domain wrote it", (_, event) => {
    expect(roundTrip(event).decoded.event).toEqual(event);
  });

  it("a return of an item not on loan is an ItemCheckedIn without a loan", () => {
    const notOnLoan: ItemCheckedInNotOnLoan = {
      type: "ItemCheckedInNotOnLoan",
      institutionId: "main",
      itemBarcode: "31000001",
      terminalId: "kiosk-1",
      checkedInAt: "2025-03-18T09:00:00.000Z",
      returnedAt: "2025-03-18T09:00:00.000Z",
      itemState: "available",
      offline: false,
      location: "Main desk",
    };
    const { stored, decoded } = roundTrip(notOnLoan);
    expect(stored.type).toBe("ItemCheckedIn");
    expect(stored.data).not.toHaveProperty("loanId");
    expect(decoded.event).toEqual(notOnLoan);
  });

  it("the checkin event carries what the fee service assesses from: patron, title, institution, zone and the fine policy in its currency", () => {
    const { stored } = roundTrip(checkedIn);
    expect(stored.data).toMatchObject({
      loanId: "loan-1",
      patron: { institutionId: "main", barcode: "21000001" },
      title: "The Name of the Rose",
      institutionId: "main",
      timeZone: "Europe/Berlin",
      overdueDays: 3,
      finePolicy: { perDay: { currency: "EUR", amountMinor: 25 }, max: { currency: "EUR", amountMinor: 500 }, graceDays: 1 },
    });
  });

  it("new loans carry their meta back (loan id, title, card institution, fine currency)", () => {
    expect(roundTrip(checkedOut()).decoded.meta).toEqual(meta);
    expect(roundTrip(imported).decoded.meta).toEqual({ ...meta, terminalAccount: "" });
  });

  it("every stored event is a published contract event that the host's encoder packs", () => {
    for (const event of [checkedOut(), imported, checkedIn, renewed(), checkinCancelled]) {
      const stored = toStoredEvent(event, meta, details);
      const codec = eventCatalog.get(stored.type)!.codec as unknown as { fromJSON(o: unknown): never };
      const packed = packEvent(stored.type as EventType, codec.fromJSON(stored.data));
      expect(unpackEvent(packed).type).toBe(stored.type);
      expect(JSON.stringify(stored.data).toLowerCase()).not.toContain("pin");
    }
  });
});
