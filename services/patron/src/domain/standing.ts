import { fold } from "@circulate/domain";
import { localDateAt } from "./local-date.js";
import type { PatronEvent } from "./unpublished-fields.js";
import type { PatronRecord } from "./patron.record.js";
import { evolvePatron, type PatronState, type RegisteredPatron } from "./patron.state.js";

/**
 * The 14 SIP2 patron-status flags, in wire order: index
 * `i` of this list is position `i` of the 14-character field. The gateway
 * renders them (`Y` / space); the domain only names them.
 */
export const PATRON_STATUS_FLAGS = [
  "chargePrivilegesDenied",
  "renewalPrivilegesDenied",
  "recallPrivilegesDenied",
  "holdPrivilegesDenied",
  "cardReportedLost",
  "tooManyItemsCharged",
  "tooManyItemsOverdue",
  "tooManyRenewals",
  "tooManyClaimsOfItemsReturned",
  "tooManyItemsLost",
  "excessiveOutstandingFines",
  "excessiveOutstandingFees",
  "recallOverdue",
  "tooManyItemsBilled",
] as const;

export type PatronStatusFlag = (typeof PATRON_STATUS_FLAGS)[number];
export type PatronStatusFlags = Readonly<Record<PatronStatusFlag, boolean>>;

/** Why a patron's privileges are restricted, in order of precedence (most fundamental first). */
export const STANDING_REASONS = [
  "blocked",
  "card_lost",
  "expired",
  "too_many_charged",
  "too_many_overdue",
  "fines_over_limit",
] as const;

export type StandingReason = (typeof STANDING_REASONS)[number];

export type Privilege = "charge" | "renewal" | "recall" | "hold";

const PRIVILEGE_FLAG: Record<Privilege, PatronStatusFlag> = {
  charge: "chargePrivilegesDenied",
  renewal: "renewalPrivilegesDenied",
  recall: "recallPrivilegesDenied",
  hold: "holdPrivilegesDenied",
};

const ALL: readonly Privilege[] = ["charge", "renewal", "recall", "hold"];

/**
 * The Standing table of docs/services.md, as data: which privileges each cause
 * denies and which indicator flag it raises. Flags and refusal reasons are both
 * derived from this one table so they cannot disagree.
 */
export const STANDING_EFFECTS: Readonly<
  Record<StandingReason, { readonly denies: readonly Privilege[]; readonly indicator: PatronStatusFlag | null }>
> = {
  blocked: { denies: ALL, indicator: null },
  card_lost: { denies: ALL, indicator: "cardReportedLost" },
  expired: { denies: ALL, indicator: null },
  too_many_charged: { denies: ["charge"], indicator: "tooManyItemsCharged" },
  too_many_overdue: { denies: ["charge", "renewal"], indicator: "tooManyItemsOverdue" },
  fines_over_limit: { denies: ["charge", "renewal", "hold"], indicator: "excessiveOutstandingFines" },
};

/**
 * Limits of one patron type at one institution. `null` = no limit.
 * A limit is the count at which the patron is stopped: `maxCharged: 10` allows
 * holding 10 items but not borrowing an 11th. HAZARD: `maxOverdue: 0` therefore
 * flags every patron (0 ≥ 0); "no overdues allowed" is `maxOverdue: 1`.
 */
export interface PatronTypePolicy {
  readonly patronType: string;
  readonly maxCharged: number | null;
  readonly maxOverdue: number | null;
  /** In minor units of `currency` (cents); a balance strictly above it blocks. */
  readonly fineLimit: number | null;
  /** ISO 4217 code, SIP2 `BH`. */
  readonly currency: string;
}

/** Facts from the loan service (charged, overdue) and the fee service (balance, minor units). */
export interface PatronUsage {
  readonly charged: number;
  readonly overdue: number;
  readonly fineBalance: number;
}

/** Facts every decider that reports standing needs besides the patron itself. */
export interface StandingFacts {
  readonly policy: PatronTypePolicy;
  readonly usage: PatronUsage;
  /** IANA zone of the patron's home institution: the zone the expiry date is written in. */
  readonly timeZone: string;
}

export interface Standing {
  /**
   * SIP2 `BL` valid patron: the card is known. Koha and Evergreen answer `Y`
   * for every patron they find, blocked or expired included, and kiosks show
   * "card not recognised" for `N`; restrictions travel in the flags instead.
   */
  readonly valid: boolean;
  readonly flags: PatronStatusFlags;
  /** Every cause that applies, in {@link STANDING_REASONS} order; empty for an unknown patron. */
  readonly reasons: readonly StandingReason[];
  /** Known and no cause applies: the patron may do everything. */
  readonly inGoodStanding: boolean;
}

function noFlags(): Record<PatronStatusFlag, boolean> {
  return Object.fromEntries(PATRON_STATUS_FLAGS.map((f) => [f, false])) as Record<PatronStatusFlag, boolean>;
}

/** Expired the day after the expiry date, judged in the home institution's zone. */
export function isExpired(record: PatronRecord, now: Date, timeZone: string): boolean {
  // ISO local dates compare correctly as strings.
  return record.expiryDate !== null && localDateAt(now, timeZone) > record.expiryDate;
}

function reached(count: number, limit: number | null): boolean {
  return limit !== null && count >= limit;
}

/** The standing of a known patron: the 14 flags, the causes behind them, and `BL`. */
export function standing(
  patron: RegisteredPatron,
  policy: PatronTypePolicy,
  usage: PatronUsage,
  now: Date,
  timeZone: string,
): Standing {
  const applies: Record<StandingReason, boolean> = {
    blocked: patron.block !== null,
    card_lost: patron.cardLost,
    expired: isExpired(patron.record, now, timeZone),
    too_many_charged: reached(usage.charged, policy.maxCharged),
    too_many_overdue: reached(usage.overdue, policy.maxOverdue),
    fines_over_limit: policy.fineLimit !== null && usage.fineBalance > policy.fineLimit,
  };
  const reasons = STANDING_REASONS.filter((r) => applies[r]);
  const flags = noFlags();
  for (const reason of reasons) {
    const effect = STANDING_EFFECTS[reason];
    for (const p of effect.denies) flags[PRIVILEGE_FLAG[p]] = true;
    if (effect.indicator) flags[effect.indicator] = true;
  }
  return { valid: true, flags, reasons, inGoodStanding: reasons.length === 0 };
}

/** Causes that question the account itself; fines and loan limits restrict borrowing only. */
const ACCOUNT_CAUSES: ReadonlySet<StandingReason> = new Set(["blocked", "card_lost", "expired"]);

/** SIP2 `PI` internet privileges: a known patron whose account is not blocked, lost or expired. */
export function hasInternetPrivileges(s: Standing): boolean {
  return s.valid && !s.reasons.some((r) => ACCOUNT_CAUSES.has(r));
}

/**
 * What 23 and 63 report for a barcode nobody knows: the four privileges denied
 * (`YYYY` + 10 blanks, as Koha and Evergreen send) and `BL` = N.
 */
export function unknownPatronStanding(): Standing {
  const flags = noFlags();
  for (const p of ALL) flags[PRIVILEGE_FLAG[p]] = true;
  return { valid: false, flags, reasons: [], inGoodStanding: false };
}

/** Standing of any state: unknown-patron standing when it is not registered. */
export function standingOf(state: PatronState, facts: StandingFacts, now: Date): Standing {
  return state.status === "registered"
    ? standing(state, facts.policy, facts.usage, now, facts.timeZone)
    : unknownPatronStanding();
}

/** Standing once `events` are applied: what the reply to the command that produced them reports. */
export function standingAfter(state: PatronState, events: readonly PatronEvent[], facts: StandingFacts, now: Date): Standing {
  return standingOf(fold(evolvePatron, state, events), facts, now);
}

/** True when `privilege` is denied. */
export function isDenied(s: Standing, privilege: Privilege): boolean {
  return s.flags[PRIVILEGE_FLAG[privilege]];
}

/** The causes that deny `privilege`, in precedence order; the first names a refusal. */
export function reasonsDenying(s: Standing, privilege: Privilege): StandingReason[] {
  return s.reasons.filter((r) => STANDING_EFFECTS[r].denies.includes(privilege));
}

/** The reply of 01 and 25 (a 24 or a 26): the standing after the command. */
export interface PatronStandingReply {
  readonly standing: Standing;
}
