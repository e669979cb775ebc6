/**
 * The transaction history in plain words: what each event and each refused
 * command means to staff, and why a refusal happened. One table each; a type
 * or reason newer than this page reads as its own name, spaced out.
 */

/** Events, by type. */
export const EVENT_WORDS: Readonly<Record<string, string>> = {
  ItemCheckedOut: "Checked out",
  ItemCheckedIn: "Checked in",
  LoanRenewed: "Renewed",
  CheckoutCancelled: "Checkout undone",
  CheckinCancelled: "Check-in undone",
  RenewalCancelled: "Renewal undone",
  LoanRecalled: "Recalled",
  LoanImported: "Loan imported",
  PatronRegistered: "Registered",
  PatronDetailsUpdated: "Details updated",
  PatronBlocked: "Blocked",
  PatronEnabled: "Unblocked",
  PatronCardReportedLost: "Card reported lost",
  PatronCardFound: "Card found again",
  PinChanged: "PIN changed",
  PinFailed: "Wrong PIN entered",
  PinLocked: "PIN checks locked",
  PinUnlocked: "PIN lock lifted",
  PinFailuresReset: "Wrong PIN count reset",
  PatronSessionEnded: "Session ended",
  ItemRegistered: "Added to the catalogue",
  ItemDetailsUpdated: "Details updated",
  ItemStatusUpdated: "Item status updated",
  ItemLocationChanged: "Moved",
  ItemMarkedMissing: "Marked missing",
  ItemMarkedLost: "Marked lost",
  ItemClaimedReturned: "Claimed returned",
  ItemFound: "Found",
  ItemTransitStarted: "Sent in transit",
  ItemTransitCompleted: "Arrived from transit",
  ItemWithdrawn: "Withdrawn",
  ItemMarkedOnLoan: "Marked on loan",
  ItemReturned: "Marked returned",
  ItemPlacedOnHoldShelf: "Put on the hold shelf",
  ItemMarkedInProcess: "Marked in process",
  ItemMarkedAvailable: "Marked available",
  FeeCharged: "Fee charged",
  FeePaid: "Fee paid",
  FeeWaived: "Fee waived",
  FeeCancelled: "Fee cancelled",
  FeeImported: "Fee imported",
  HoldPlaced: "Hold placed",
  HoldChanged: "Hold changed",
  HoldCancelled: "Hold cancelled",
  HoldTrapped: "Hold trapped",
  HoldShelved: "Hold put on the shelf",
  HoldFulfilled: "Hold picked up",
  HoldExpired: "Hold expired",
  HoldTrapReleased: "Hold trap released",
};

/** Refused commands, by the command's name. */
export const COMMAND_WORDS: Readonly<Record<string, string>> = {
  checkOutItem: "Checkout",
  checkInItem: "Check-in",
  renewItem: "Renewal",
  renewAll: "Renew all",
  placeHold: "Hold",
  cancelHold: "Hold cancel",
  changeHold: "Hold change",
  payFee: "Payment",
  blockPatron: "Block",
  enablePatron: "Enable",
  getPatronStatus: "Patron status",
  getPatronInformation: "Patron information",
  endPatronSession: "End of session",
  getItemInformation: "Item information",
  updateItemStatus: "Item status update",
};

/** Why a command was refused (the contract's RefusalReason, without its prefix). */
export const REASON_WORDS: Readonly<Record<string, string>> = {
  UNSPECIFIED: "no reason given",
  PATRON_NOT_FOUND: "card not known",
  PATRON_PIN_REQUIRED: "no PIN given",
  PATRON_PIN_INVALID: "wrong PIN",
  PATRON_PIN_LOCKED: "PIN checks locked",
  PATRON_BLOCKED: "patron blocked",
  PATRON_CARD_LOST: "card reported lost",
  PATRON_EXPIRED: "card expired",
  PATRON_LOAN_LIMIT: "at the loan limit",
  PATRON_OVERDUE_LIMIT: "too many overdue items",
  PATRON_FINES_OVER_LIMIT: "fines over the limit",
  PATRON_HOLD_LIMIT: "at the hold limit",
  ITEM_NOT_FOUND: "item not known",
  ITEM_NOT_CIRCULATING: "item not for loan",
  ITEM_ON_LOAN_TO_OTHER: "item on loan to someone else",
  ITEM_ALREADY_ON_LOAN_TO_PATRON: "item already on loan to this patron",
  ITEM_MISSING: "item recorded missing",
  ITEM_LOST: "item recorded lost",
  ITEM_CLAIMED_RETURNED: "item claimed returned",
  ITEM_IN_TRANSIT: "item in transit",
  ITEM_IN_PROCESS: "item being processed",
  ITEM_ON_HOLD_FOR_OTHER: "item held for another patron",
  ITEM_WRONG_INSTITUTION: "item of another library",
  RENEWAL_LIMIT_REACHED: "renewed too often",
  RENEWAL_HOLD_PENDING: "another patron is waiting",
  RENEWAL_NOT_ALLOWED: "renewal not allowed",
  RENEWAL_THIRD_PARTY_NOT_ALLOWED: "not this patron's loan",
  RENEWAL_TOO_SOON: "too soon to renew",
  NOT_ON_LOAN: "item not on loan",
  NOTHING_TO_CANCEL: "nothing to undo",
  FEE_ACKNOWLEDGEMENT_REQUIRED: "fee not accepted",
  FEE_NOT_FOUND: "fee not known",
  PAYMENT_EXCEEDS_BALANCE: "payment more than owed",
  PAYMENT_INVALID: "payment not valid",
  PAYMENT_CURRENCY_MISMATCH: "wrong currency",
  HOLD_NOT_FOUND: "no such hold",
  HOLD_NOT_ALLOWED: "hold not allowed",
  HOLD_ALREADY_PLACED: "hold already placed",
  PICKUP_LOCATION_INVALID: "pickup location not valid",
  PERMISSION_DENIED: "terminal not allowed to",
  DEADLINE_EXCEEDED: "took too long",
  INVALID_REQUEST: "request not understood",
  UNSUPPORTED: "not supported here",
  BACKEND_UNAVAILABLE: "a service did not answer",
  INTERNAL_ERROR: "an internal error",
};

/** `HoldTrapReleased` → `hold trap released`, for a name this page does not know yet. */
const spaced = (name: string) =>
  name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replaceAll("_", " ")
    .toLowerCase();

export const eventWords = (type: string) => EVENT_WORDS[type] ?? spaced(type);
export const commandWords = (type: string) => COMMAND_WORDS[type] ?? spaced(type);
export const reasonWords = (reason: string) => {
  const short = reason.replace(/^REFUSAL_REASON_/, "");
  return REASON_WORDS[short] ?? spaced(short);
};
