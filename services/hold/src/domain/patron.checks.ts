import { commands, type patron } from "@circulate/contracts";

const Reason = commands.RefusalReason;

/** Refusals that come from the patron check itself, before any hold rule: unknown patron, PIN. */
export function patronGate(v: patron.VerifyPatronResponse, pinGiven: boolean): { reason: commands.RefusalReason; detail: string } | null {
  if (!v.found) return { reason: Reason.PATRON_NOT_FOUND, detail: "patron not found" };
  if (v.pinLocked) return { reason: Reason.PATRON_PIN_LOCKED, detail: "PIN checks locked" };
  if (pinGiven && v.standing?.pinValid === false) return { reason: Reason.PATRON_PIN_INVALID, detail: "PIN invalid" };
  return null;
}

/** Why hold privileges are denied, as precisely as the standing tells. */
export function holdPrivilegeReason(v: patron.VerifyPatronResponse): commands.RefusalReason {
  const flags = v.standing?.status;
  if (v.blocked) return Reason.PATRON_BLOCKED;
  if (flags?.cardReportedLost) return Reason.PATRON_CARD_LOST;
  if (v.expired) return Reason.PATRON_EXPIRED;
  if (flags?.excessiveOutstandingFines) return Reason.PATRON_FINES_OVER_LIMIT;
  return Reason.HOLD_NOT_ALLOWED;
}
