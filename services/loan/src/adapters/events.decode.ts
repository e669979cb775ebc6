import { type common, loan } from "@circulate/contracts";
import type { LoanEvent } from "../domain/index.js";
import type { LoanMeta } from "./events.codec.js";
import { fineFromProto, termsFromProto } from "./terms.codec.js";

/** Stored loan events read back into the domain's terms (the inverse of `toStoredEvent`). */

const iso = (date: Date | undefined): string => date?.toISOString() ?? "";

/** A stored event read back: the domain event, and the loan's meta when the event carries all of it. */
export interface DecodedLoanEvent {
  readonly event: LoanEvent;
  readonly meta: LoanMeta | null;
}

interface CarriesMeta {
  loanId: string;
  itemId: string;
  title: string;
  titleId: string;
  patron: common.PatronRef | undefined;
  terms: loan.LoanTerms | undefined;
  terminalAccount?: string;
}

function metaOf(m: CarriesMeta): LoanMeta {
  return {
    loanId: m.loanId,
    itemId: m.itemId,
    title: m.title,
    titleId: m.titleId,
    patronInstitutionId: m.patron?.institutionId ?? "",
    currency: m.terms?.finePolicy?.perDay?.currency ?? "",
    terminalAccount: m.terminalAccount ?? "",
  };
}

/** Reads a stored event back into the domain's terms. Throws on a type this service never stores. */
export function fromStoredEvent(type: string, data: unknown): DecodedLoanEvent {
  switch (type) {
    case "ItemCheckedOut": {
      const m = loan.ItemCheckedOut.fromJSON(data);
      return {
        meta: metaOf(m),
        event: {
          type: "ItemCheckedOut",
          institutionId: m.item?.institutionId ?? "",
          itemBarcode: m.item?.barcode ?? "",
          terminalId: m.terminalAccount,
          patronId: m.patronId,
          patronBarcode: m.patron?.barcode ?? "",
          patronType: m.patronType,
          itemType: m.itemType,
          loanedAt: iso(m.checkedOutAt),
          dueAt: iso(m.dueAt),
          rule: termsFromProto(m.terms),
          offline: m.offline,
          kioskDueDate: m.dueDateFromTerminal,
          holdFulfilled: m.holdFulfilled,
        },
      };
    }
    case "LoanImported": {
      const m = loan.LoanImported.fromJSON(data);
      return {
        meta: metaOf(m),
        event: {
          type: "LoanImported",
          institutionId: m.item?.institutionId ?? "",
          itemBarcode: m.item?.barcode ?? "",
          terminalId: "",
          patronId: m.patronId,
          patronBarcode: m.patron?.barcode ?? "",
          patronType: m.patronType,
          itemType: m.itemType,
          loanedAt: iso(m.checkedOutAt),
          dueAt: iso(m.dueAt),
          renewals: m.renewalCount,
          rule: termsFromProto(m.terms),
        },
      };
    }
    case "ItemCheckedIn": {
      const m = loan.ItemCheckedIn.fromJSON(data);
      const base = {
        institutionId: m.institutionId || (m.item?.institutionId ?? ""),
        itemBarcode: m.item?.barcode ?? "",
        terminalId: m.terminalAccount,
        checkedInAt: iso(m.checkedInAt),
        returnedAt: iso(m.returnedAt),
        offline: m.offline,
        location: m.location,
      };
      if (m.loanId === "") return { meta: null, event: { type: "ItemCheckedInNotOnLoan", ...base, itemState: "available" } };
      return {
        meta: null,
        event: {
          type: "ItemCheckedIn",
          ...base,
          patronId: m.patronId,
          patronBarcode: m.patron?.barcode ?? "",
          loanedAt: iso(m.checkedOutAt),
          dueAt: iso(m.dueAt),
          renewals: m.renewalCount,
          overdue: m.overdueDays > 0,
          overdueDays: m.overdueDays,
          overdueOpenDays: m.overdueOpenDays,
          fine: fineFromProto(m.finePolicy),
          closedBy: m.closedByOfflineCheckout ? "offline_checkout" : "checkin",
        },
      };
    }
    case "LoanRenewed": {
      const m = loan.LoanRenewed.fromJSON(data);
      return {
        meta: null,
        event: {
          type: "LoanRenewed",
          institutionId: m.item?.institutionId ?? "",
          itemBarcode: m.item?.barcode ?? "",
          terminalId: m.terminalAccount,
          patronId: m.patronId,
          previousDueAt: iso(m.previousDueAt),
          dueAt: iso(m.dueAt),
          renewals: m.renewalCount,
          renewedAt: iso(m.renewedAt),
          offline: m.offline,
          via: m.viaCheckout ? "checkout" : m.viaRenewAll ? "renew_all" : "renew",
        },
      };
    }
    case "CheckoutCancelled": {
      const m = loan.CheckoutCancelled.fromJSON(data);
      return {
        meta: null,
        event: {
          type: "CheckOutCancelled",
          institutionId: m.item?.institutionId ?? "",
          itemBarcode: m.item?.barcode ?? "",
          terminalId: m.terminalAccount,
          patronId: m.patronId,
          patronBarcode: m.patron?.barcode ?? "",
          loanedAt: iso(m.checkedOutAt),
          dueAt: iso(m.dueAt),
          cancelledAt: iso(m.cancelledAt),
        },
      };
    }
    case "RenewalCancelled": {
      const m = loan.RenewalCancelled.fromJSON(data);
      return {
        meta: null,
        event: {
          type: "RenewalCancelled",
          institutionId: m.item?.institutionId ?? "",
          itemBarcode: m.item?.barcode ?? "",
          terminalId: m.terminalAccount,
          patronId: m.patronId,
          dueAt: iso(m.dueAt),
          renewals: m.renewals,
          cancelledDueAt: iso(m.cancelledDueAt),
          cancelledAt: iso(m.cancelledAt),
        },
      };
    }
    case "CheckinCancelled": {
      const m = loan.CheckinCancelled.fromJSON(data);
      return {
        meta: metaOf(m),
        event: {
          type: "CheckInCancelled",
          institutionId: m.item?.institutionId ?? "",
          itemBarcode: m.item?.barcode ?? "",
          terminalId: m.terminalAccount,
          patronId: m.patronId,
          patronBarcode: m.patron?.barcode ?? "",
          loanedAt: iso(m.checkedOutAt),
          dueAt: iso(m.dueAt),
          renewals: m.renewalCount,
          rule: termsFromProto(m.terms),
          loanOffline: m.loanOffline,
          cancelledReturnedAt: iso(m.cancelledReturnedAt),
          cancelledAt: iso(m.cancelledAt),
        },
      };
    }
    default:
      throw new Error(`not a stored loan event type: ${type}`);
  }
}
