import { type common, loan } from "@circulate/contracts";
import type { LoanEvent } from "../domain/index.js";
import { fineToProto, termsToProto } from "./terms.codec.js";

/**
 * The one place where domain loan events meet the published contract
 * (`proto/library/loan/v1/events.proto`). A stored event is `{ type, data }`
 * with `type` the proto message name and `data` its proto3 JSON, so the host's
 * `protoJsonEncoder` publishes it as is; reading it back gives the domain event
 * for the fold. The round trip is lossless for everything `evolve` reads
 * (unit-tested in events.codec.spec.ts).
 *
 * Domain → proto names: ItemCheckedOut, LoanImported, LoanRenewed and
 * RenewalCancelled keep theirs; ItemCheckedIn and ItemCheckedInNotOnLoan are
 * both `ItemCheckedIn` (empty `loan_id` = not on loan); CheckOutCancelled →
 * `CheckoutCancelled`, CheckInCancelled → `CheckinCancelled`.
 */

export const STORED_EVENT_TYPES = [
  "ItemCheckedOut",
  "LoanImported",
  "ItemCheckedIn",
  "LoanRenewed",
  "CheckoutCancelled",
  "RenewalCancelled",
  "CheckinCancelled",
] as const;
export type StoredEventType = (typeof STORED_EVENT_TYPES)[number];
export interface StoredLoanEvent {
  readonly type: StoredEventType;
  readonly data: unknown;
}

/** What the events say about a loan besides the domain event: ids and names other services need. */
export interface LoanMeta {
  readonly loanId: string;
  readonly itemId: string;
  readonly title: string;
  readonly titleId: string;
  /** Institution of the borrower's card (their fee account, their patron record). */
  readonly patronInstitutionId: string;
  /** ISO 4217 code of the loan's fine amounts. */
  readonly currency: string;
  /** Terminal account that lent it; empty for an import. */
  readonly terminalAccount: string;
}

/** Where the copy goes after a checkin (trapped for a hold, or going home). */
export interface Routing {
  readonly holdId: string;
  readonly destination: string;
  readonly inTransit: boolean;
}

/** Per-command details of the events a command produces. */
export interface EventDetails {
  /** IANA zone of the item's institution (days late are counted in it). */
  readonly timeZone: string;
  /** The terminal's location (checkout, renewal). */
  readonly location: string;
  /** The command whose effect a cancel reverses (the stream's last one). */
  readonly cancelledCommandId: string;
  readonly routing: Routing | null;
}

const at = (iso: string): Date | undefined => (iso ? new Date(iso) : undefined);
const itemRef = (institutionId: string, barcode: string): common.ItemRef => ({ institutionId, barcode });

/** The stored form of one domain event. */
export function toStoredEvent(event: LoanEvent, meta: LoanMeta, details: EventDetails): StoredLoanEvent {
  const item = itemRef(event.institutionId, event.itemBarcode);
  const ids = { loanId: meta.loanId, itemId: meta.itemId };
  const patronRef = (barcode: string): common.PatronRef => ({ institutionId: meta.patronInstitutionId, barcode });
  switch (event.type) {
    case "ItemCheckedOut":
      return stored("ItemCheckedOut", loan.ItemCheckedOut.toJSON(loan.ItemCheckedOut.fromPartial({
        ...ids,
        item,
        patronId: event.patronId,
        patron: patronRef(event.patronBarcode),
        title: meta.title,
        titleId: meta.titleId,
        checkedOutAt: at(event.loanedAt),
        dueAt: at(event.dueAt),
        terminalAccount: event.terminalId,
        location: details.location,
        channel: loan.LoanChannel.TERMINAL,
        dueDateFromTerminal: event.kioskDueDate,
        patronType: event.patronType,
        itemType: event.itemType,
        terms: termsToProto(event.rule, meta.currency),
        offline: event.offline,
        holdFulfilled: event.holdFulfilled,
      })));
    case "LoanImported":
      return stored("LoanImported", loan.LoanImported.toJSON(loan.LoanImported.fromPartial({
        ...ids,
        item,
        patronId: event.patronId,
        patron: patronRef(event.patronBarcode),
        title: meta.title,
        titleId: meta.titleId,
        checkedOutAt: at(event.loanedAt),
        dueAt: at(event.dueAt),
        renewalCount: event.renewals,
        patronType: event.patronType,
        itemType: event.itemType,
        terms: termsToProto(event.rule, meta.currency),
      })));
    case "ItemCheckedIn":
    case "ItemCheckedInNotOnLoan": {
      const routing = details.routing;
      const common = {
        itemId: meta.itemId,
        item,
        institutionId: event.institutionId,
        title: meta.title,
        titleId: meta.titleId,
        returnedAt: at(event.returnedAt),
        checkedInAt: at(event.checkedInAt),
        terminalAccount: event.terminalId,
        location: event.location,
        channel: loan.LoanChannel.TERMINAL,
        offline: event.offline,
        timeZone: details.timeZone,
        holdId: routing?.holdId ?? "",
        destinationLocation: routing?.destination ?? "",
        inTransit: routing?.inTransit ?? false,
      };
      if (event.type === "ItemCheckedInNotOnLoan") return stored("ItemCheckedIn", loan.ItemCheckedIn.toJSON(loan.ItemCheckedIn.fromPartial(common)));
      return stored("ItemCheckedIn", loan.ItemCheckedIn.toJSON(loan.ItemCheckedIn.fromPartial({
        ...common,
        loanId: meta.loanId,
        patronId: event.patronId,
        patron: patronRef(event.patronBarcode),
        checkedOutAt: at(event.loanedAt),
        dueAt: at(event.dueAt),
        renewalCount: event.renewals,
        overdueDays: event.overdueDays,
        overdueOpenDays: event.overdueOpenDays,
        finePolicy: fineToProto(event.fine, meta.currency),
        closedByOfflineCheckout: event.closedBy === "offline_checkout",
      })));
    }
    case "LoanRenewed":
      return stored("LoanRenewed", loan.LoanRenewed.toJSON(loan.LoanRenewed.fromPartial({
        ...ids,
        item,
        patronId: event.patronId,
        previousDueAt: at(event.previousDueAt),
        dueAt: at(event.dueAt),
        renewalCount: event.renewals,
        renewedAt: at(event.renewedAt),
        terminalAccount: event.terminalId,
        offline: event.offline,
        viaCheckout: event.via === "checkout",
        viaRenewAll: event.via === "renew_all",
      })));
    case "CheckOutCancelled":
      return stored("CheckoutCancelled", loan.CheckoutCancelled.toJSON(loan.CheckoutCancelled.fromPartial({
        ...ids,
        item,
        patronId: event.patronId,
        patron: patronRef(event.patronBarcode),
        checkedOutAt: at(event.loanedAt),
        dueAt: at(event.dueAt),
        cancelledAt: at(event.cancelledAt),
        terminalAccount: event.terminalId,
        cancelledCommandId: details.cancelledCommandId,
      })));
    case "RenewalCancelled":
      return stored("RenewalCancelled", loan.RenewalCancelled.toJSON(loan.RenewalCancelled.fromPartial({
        ...ids,
        item,
        patronId: event.patronId,
        dueAt: at(event.dueAt),
        renewals: event.renewals,
        cancelledDueAt: at(event.cancelledDueAt),
        cancelledAt: at(event.cancelledAt),
        terminalAccount: event.terminalId,
        cancelledCommandId: details.cancelledCommandId,
      })));
    case "CheckInCancelled":
      return stored("CheckinCancelled", loan.CheckinCancelled.toJSON(loan.CheckinCancelled.fromPartial({
        ...ids,
        item,
        patronId: event.patronId,
        patron: patronRef(event.patronBarcode),
        title: meta.title,
        titleId: meta.titleId,
        checkedOutAt: at(event.loanedAt),
        dueAt: at(event.dueAt),
        renewalCount: event.renewals,
        terms: termsToProto(event.rule, meta.currency),
        loanOffline: event.loanOffline,
        cancelledReturnedAt: at(event.cancelledReturnedAt),
        cancelledAt: at(event.cancelledAt),
        terminalAccount: event.terminalId,
        cancelledCommandId: details.cancelledCommandId,
      })));
  }
}

function stored(type: StoredEventType, data: unknown): StoredLoanEvent {
  return { type, data };
}
