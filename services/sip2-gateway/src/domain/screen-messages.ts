/**
 * What a kiosk shows (SIP2 AF): short English sentences a patron can act on. The only
 * source of screen text in the gateway, so nothing internal (a refusal's `detail`, an
 * exception, a service name) can reach a screen.
 */
const SEE_STAFF = "Please see staff.";

/** One message per refusal reason: the catalog lives with the contract, since services record it with each refusal. */
export { REFUSAL_MESSAGES, refusalMessage } from "@circulate/contracts";

/** Messages for things that went ahead, where a kiosk benefits from a confirmation. */
export const NOTICES = {
  checkedOut: "Checked out.",
  renewedByCheckout: "You already had this item: it has been renewed.",
  renewed: "Renewed.",
  checkedIn: "Checked in. Thank you.",
  notCheckedOut: "This item was not checked out. Please hand it to staff.",
  holdForPatron: "This item is on hold for a patron. Please hand it to staff.",
  sendElsewhere: "This item belongs elsewhere. Please hand it to staff.",
  holdPlaced: "Hold placed.",
  holdCancelled: "Hold cancelled.",
  holdChanged: "Hold updated.",
  paymentAccepted: "Payment accepted. Thank you.",
  sessionEnded: "Thank you. Goodbye.",
  cardBlocked: `This card has been blocked. ${SEE_STAFF}`,
  cancelled: "Transaction cancelled.",
} as const;
