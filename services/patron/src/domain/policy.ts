import type { PinPolicy } from "./pin-lock.js";
import type { PatronTypePolicy } from "./standing.js";

/** An institution's settings a patron's policy is drawn from. */
export interface InstitutionSettings {
  readonly institutionId: string;
  readonly timeZone: string;
  readonly currency: string;
  /** null = the service default; 0 = never lock. */
  readonly maxWrongPins: number | null;
  /** Minutes a PIN lock lasts; null = until staff lift it. */
  readonly pinLockMinutes: number | null;
}

/** The limits of a patron type at an institution (`"*"` = the institution's default). */
export interface PatronTypeLimits {
  readonly institutionId: string;
  readonly patronType: string;
  readonly maxLoans: number | null;
  readonly maxOverdue: number | null;
  readonly maxHolds: number | null;
  readonly feeLimitMinor: number | null;
  /** "" = the institution's currency. */
  readonly feeLimitCurrency: string;
  /** What the type is called (63's FV extension); absent = not loaded. */
  readonly description?: string;
}

/** What applies while an institution is not loaded. */
export interface PolicyDefaults {
  readonly timeZone: string;
  readonly currency: string;
  /** null = never lock. */
  readonly maxWrongPins: number | null;
}

/** The patron service's own facts about a patron: zone, currency, limits, PIN policy. */
export interface PatronPolicy {
  /** Home institution zone: expiry dates are read in it. */
  readonly timeZone: string;
  readonly currency: string;
  readonly pinPolicy: PinPolicy;
  readonly policy: PatronTypePolicy;
  /** Not a standing cause (the hold service enforces it); reported in 63 and VerifyPatron. */
  readonly maxHolds: number | null;
  /** The patron type's own description (never the "*" default's); "" = none loaded. */
  readonly patronTypeDescription?: string;
}

/**
 * The policy of a patron. Which institution's rules apply to a patron of a
 * consortium (README, open question 2): the home institution's first, then
 * the institution the card is registered in; within one, the patron type's
 * limits, then the institution's default ("*"). No limits at all = no limits.
 * The PIN policy is the card institution's, whose barcodes are being guessed.
 */
export function patronPolicy(
  patron: { readonly home: string; readonly card: string; readonly patronType: string },
  institutions: readonly InstitutionSettings[],
  types: readonly PatronTypeLimits[],
  defaults: PolicyDefaults,
): PatronPolicy {
  const { home, card, patronType } = patron;
  const homeRow = institutions.find((i) => i.institutionId === home);
  const cardRow = institutions.find((i) => i.institutionId === card);
  const currency = homeRow?.currency ?? cardRow?.currency ?? defaults.currency;
  const limits = [
    [home, patronType],
    [home, "*"],
    [card, patronType],
    [card, "*"],
  ]
    .map(([i, t]) => types.find((r) => r.institutionId === i && r.patronType === t))
    .find((r) => r !== undefined);
  const described = [home, card]
    .map((i) => types.find((r) => r.institutionId === i && r.patronType === patronType)?.description)
    .find((d) => d !== undefined && d !== "");
  const pinRow = cardRow ?? homeRow;
  const maxWrong = pinRow?.maxWrongPins ?? defaults.maxWrongPins;
  return {
    timeZone: homeRow?.timeZone ?? cardRow?.timeZone ?? defaults.timeZone,
    currency,
    pinPolicy: { maxConsecutiveWrongPins: maxWrong === 0 ? null : maxWrong, lockMinutes: pinRow?.pinLockMinutes ?? null },
    policy: {
      patronType,
      maxCharged: limits?.maxLoans ?? null,
      maxOverdue: limits?.maxOverdue ?? null,
      fineLimit: limits?.feeLimitMinor ?? null,
      currency: limits?.feeLimitCurrency || currency,
    },
    maxHolds: limits?.maxHolds ?? null,
    patronTypeDescription: described ?? "",
  };
}
