import { common, patron as patronApi } from "@circulate/contracts";
import type { PatronRow } from "../adapters/db.js";
import { expiryInstant, languageOfCode, type PinCheck, type RegisteredPatron, type Standing, unknownPatronStanding } from "../domain/index.js";
import type { PolicyFacts, UsageFacts } from "./facts.js";

/** SIP2 CQ: unset when no PIN was given; true only for the right PIN on an unlocked card. */
export function pinValid(pin: PinCheck): boolean | undefined {
  return pin === "not_checked" ? undefined : pin === "ok";
}

/** The contract's PatronStanding (24, the head of 64, refusals, VerifyPatron). */
export function standingMessage(input: {
  /** The patron as identified in the request (echoed as AA). */
  readonly ref: common.PatronRef;
  readonly patron: RegisteredPatron | undefined;
  readonly standing: Standing;
  readonly pin: PinCheck;
  /** The lock is in force after the command, PIN given or not; default: this check answered `locked`. */
  readonly pinLocked?: boolean;
  readonly usage: UsageFacts | undefined;
}): common.PatronStanding {
  const balance = input.usage?.account.balance;
  return common.PatronStanding.create({
    patronId: input.patron?.patronId ?? "",
    patron: input.ref,
    name: input.patron?.record.name ?? "",
    status: common.PatronStatusFlags.create({ ...input.standing.flags }),
    language: input.patron ? languageOfCode(input.patron.record.language) : common.Language.UNSPECIFIED,
    validPatron: input.standing.valid,
    pinValid: pinValid(input.pin),
    pinLocked: input.pinLocked ?? input.pin === "locked",
    // Unset when the fee service had no answer (a 01 that went ahead without it).
    feesOwed: balance,
  });
}

/** What 23/63 report for a barcode nobody knows (inside the PATRON_NOT_FOUND refusal). */
export function unknownStandingMessage(ref: common.PatronRef, pinGiven: boolean): common.PatronStanding {
  return standingMessage({ ref, patron: undefined, standing: unknownPatronStanding(), pin: pinGiven ? "wrong" : "not_checked", usage: undefined });
}

export function money(currency: string, amountMinor: number): common.Money {
  return common.Money.create({ currency, amountMinor });
}

/** The limits in force, in the contract's shape (unset = no limit). */
export function limitsMessage(facts: PolicyFacts): patronApi.PatronLimits {
  const p = facts.policy;
  return patronApi.PatronLimits.create({
    maxLoans: p.maxCharged ?? undefined,
    maxOverdue: p.maxOverdue ?? undefined,
    maxHolds: facts.maxHolds ?? undefined,
    feeLimit: p.fineLimit === null ? undefined : money(p.currency, p.fineLimit),
  });
}

/** A `patrons` row as the contract's Patron (never a hash). */
export function patronMessage(row: PatronRow, timeZone: string): patronApi.Patron {
  return patronApi.Patron.create({
    patronId: row.patron_id,
    patron: common.PatronRef.create({ institutionId: row.institution_id, barcode: row.barcode }),
    name: row.name,
    patronType: row.patron_type,
    homeLocation: row.home_institution,
    email: row.email ?? "",
    phone: row.phone ?? "",
    homeAddress: row.address ?? "",
    language: languageOfCode(row.language),
    expiresAt: row.expiry_date === null ? undefined : expiryInstant(row.expiry_date, timeZone),
    birthDate: row.birth_date ?? "",
    blocked: row.blocked,
    blockReason: row.block_message,
    cardLost: row.card_lost,
    pinSet: row.pin_set,
    pinLocked: row.pin_locked,
  });
}
