/**
 * What a kiosk shows (SIP2 AF) when a command is refused: short English sentences a patron can
 * act on, one per refusal reason. The gateway puts them on the screen; the services record the
 * same sentence with each refusal, so staff read what the kiosk said.
 */
import { RefusalReason } from "./gen/library/commands/v1/refusal.js";

const R = RefusalReason;

const SEE_STAFF = "Please see staff.";

/** One message per refusal reason; a reason added to the contract fails to compile until it has one. */
export const REFUSAL_MESSAGES = {
  [R.UNSPECIFIED]: `Sorry, this could not be done. ${SEE_STAFF}`,
  [R.PATRON_NOT_FOUND]: `Card not recognised. ${SEE_STAFF}`,
  [R.PATRON_PIN_REQUIRED]: "Please enter your PIN.",
  [R.PATRON_PIN_INVALID]: "Incorrect PIN. Please try again.",
  [R.PATRON_PIN_LOCKED]: `Too many incorrect PINs. ${SEE_STAFF}`,
  [R.PATRON_BLOCKED]: `Your account is blocked. ${SEE_STAFF}`,
  [R.PATRON_CARD_LOST]: `This card has been reported lost. ${SEE_STAFF}`,
  [R.PATRON_EXPIRED]: `Your card has expired. ${SEE_STAFF}`,
  [R.PATRON_LOAN_LIMIT]: "You have reached your loan limit.",
  [R.PATRON_OVERDUE_LIMIT]: "You have too many overdue items.",
  [R.PATRON_FINES_OVER_LIMIT]: "You owe too much in fines. Please pay to continue.",
  [R.PATRON_HOLD_LIMIT]: "You have reached your hold limit.",
  [R.ITEM_NOT_FOUND]: `Item not recognised. ${SEE_STAFF}`,
  [R.ITEM_NOT_CIRCULATING]: "This item cannot be borrowed.",
  [R.ITEM_ON_LOAN_TO_OTHER]: `This item is on loan to someone else. ${SEE_STAFF}`,
  [R.ITEM_ALREADY_ON_LOAN_TO_PATRON]: "You already have this item. Use renew instead.",
  [R.ITEM_MISSING]: `This item is listed as missing. ${SEE_STAFF}`,
  [R.ITEM_LOST]: `This item is listed as lost. ${SEE_STAFF}`,
  [R.ITEM_CLAIMED_RETURNED]: `This item is listed as returned. ${SEE_STAFF}`,
  [R.ITEM_IN_TRANSIT]: `This item is in transit. ${SEE_STAFF}`,
  [R.ITEM_IN_PROCESS]: `This item is being processed. ${SEE_STAFF}`,
  [R.ITEM_ON_HOLD_FOR_OTHER]: "This item is on hold for another patron.",
  [R.ITEM_WRONG_INSTITUTION]: `This item belongs to another library. ${SEE_STAFF}`,
  [R.RENEWAL_LIMIT_REACHED]: "This item cannot be renewed again.",
  [R.RENEWAL_HOLD_PENDING]: "Cannot renew: another patron is waiting for this item.",
  [R.RENEWAL_NOT_ALLOWED]: "This item cannot be renewed.",
  [R.RENEWAL_THIRD_PARTY_NOT_ALLOWED]: "This item is not on your card.",
  [R.RENEWAL_TOO_SOON]: "Too soon to renew this item.",
  [R.NOT_ON_LOAN]: "This item is not on loan.",
  [R.NOTHING_TO_CANCEL]: "Nothing to cancel.",
  [R.FEE_ACKNOWLEDGEMENT_REQUIRED]: "A fee applies. Please accept it to continue.",
  [R.FEE_NOT_FOUND]: `Fee not found. ${SEE_STAFF}`,
  [R.PAYMENT_EXCEEDS_BALANCE]: "Payment is more than you owe.",
  [R.PAYMENT_INVALID]: "Payment not accepted.",
  [R.PAYMENT_CURRENCY_MISMATCH]: "Payment currency not accepted.",
  [R.HOLD_NOT_FOUND]: "No such hold found.",
  [R.HOLD_NOT_ALLOWED]: "A hold cannot be placed on this item.",
  [R.HOLD_ALREADY_PLACED]: "You already have a hold on this item.",
  [R.PICKUP_LOCATION_INVALID]: "Pickup location not available.",
  [R.PERMISSION_DENIED]: `This terminal cannot do that. ${SEE_STAFF}`,
  [R.DEADLINE_EXCEEDED]: "System busy. Please try again.",
  [R.INVALID_REQUEST]: `Request not understood. ${SEE_STAFF}`,
  [R.UNSUPPORTED]: `Not available here. ${SEE_STAFF}`,
  [R.BACKEND_UNAVAILABLE]: `System unavailable. ${SEE_STAFF}`,
  [R.INTERNAL_ERROR]: `Sorry, something went wrong. ${SEE_STAFF}`,
  [R.UNRECOGNIZED]: `Sorry, this could not be done. ${SEE_STAFF}`,
} as const satisfies Record<RefusalReason, string>;

/** The screen message for a refusal; an unknown reason (a newer contract) reads as a generic failure. */
export function refusalMessage(reason: RefusalReason): string {
  return (REFUSAL_MESSAGES as Record<string, string>)[reason] ?? REFUSAL_MESSAGES[R.UNRECOGNIZED];
}
