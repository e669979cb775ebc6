import { common, type fee, hold, item, type loan, type patron } from "@circulate/contracts";
import { bool, instant, int, money, nullable, object, ref, str } from "./schemas.js";

type Ref = { institutionId: string; barcode: string } | undefined;

const iso = (d: Date | undefined): string | null => (d ? d.toISOString() : null);
const refOf = (r: Ref) => ({ institution: r?.institutionId ?? "", barcode: r?.barcode ?? "" });
const refOrNull = (r: Ref) => (r && r.barcode !== "" ? refOf(r) : null);
const moneyOf = (m: common.Money | undefined) => ({ currency: m?.currency ?? "", amountMinor: m?.amountMinor ?? 0 });

/** The fourteen patron-status conditions, by the names the contracts give them. */
const FLAG_NAMES = Object.keys(common.PatronStatusFlags.create()) as (keyof common.PatronStatusFlags)[];

export const patronCoreSchema = object({
  patronId: str,
  institution: str,
  barcode: str,
  name: str,
  patronType: str,
  homeLocation: str,
  email: str,
  phone: str,
  expiresAt: instant,
  blocked: bool,
  blockReason: str,
  cardLost: bool,
  pinSet: bool,
  pinLocked: bool,
  pinLockedUntil: instant,
});

/** What staff see of a patron record: never a PIN or its hash (the contract has neither). */
export function patronCore(p: patron.Patron) {
  return {
    patronId: p.patronId,
    ...refOf(p.patron),
    name: p.name,
    patronType: p.patronType,
    homeLocation: p.homeLocation,
    email: p.email,
    phone: p.phone,
    expiresAt: iso(p.expiresAt),
    blocked: p.blocked,
    blockReason: p.blockReason,
    cardLost: p.cardLost,
    pinSet: p.pinSet,
    // A lock with an end is pinLockedUntil; one until staff lift it is pinLocked alone.
    pinLocked: p.pinLocked || (p.pinLockedUntil !== undefined && p.pinLockedUntil > new Date()),
    pinLockedUntil: iso(p.pinLockedUntil),
  };
}

export const patronViewSchema = object({
  ...patronCoreSchema.properties,
  standing: object({
    validPatron: bool,
    flags: object(Object.fromEntries(FLAG_NAMES.map((f) => [f, bool]))),
  }),
  counts: object({ loans: int, overdue: int, recalled: int, holdsAvailable: int, holdsWaiting: int, charges: int }),
  owed: money,
});

export interface PatronFacts {
  patron: patron.Patron;
  verified: patron.VerifyPatronResponse;
  loans: loan.ListLoansResponse;
  holds: hold.ListHoldsResponse;
  account: fee.Account | undefined;
}

export function patronView(f: PatronFacts) {
  const flags = f.verified.standing?.status ?? common.PatronStatusFlags.create();
  return {
    ...patronCore(f.patron),
    standing: { validPatron: f.verified.standing?.validPatron ?? false, flags: Object.fromEntries(FLAG_NAMES.map((n) => [n, flags[n]])) },
    counts: {
      loans: f.loans.loans.length,
      overdue: f.loans.overdueCount,
      recalled: f.loans.recalledCount,
      holdsAvailable: f.holds.availableCount,
      holdsWaiting: f.holds.unavailableCount,
      charges: f.account?.charges.length ?? 0,
    },
    owed: moneyOf(f.account?.balance),
  };
}

export const chargeSchema = object({
  feeId: str,
  feeType: str,
  amount: money,
  outstanding: money,
  description: str,
  item: nullable(ref),
  title: str,
  loanId: str,
  chargedAt: instant,
});

export function chargeView(c: fee.Charge) {
  return {
    feeId: c.feeId,
    feeType: common.feeTypeToJSON(c.feeType),
    amount: moneyOf(c.amount),
    outstanding: moneyOf(c.outstanding),
    description: c.description,
    item: refOrNull(c.item),
    title: c.title ?? "",
    loanId: c.loanId,
    chargedAt: iso(c.chargedAt),
  };
}

export const accountSchema = object({ patronId: str, balance: money, charges: { type: "array", items: chargeSchema } });

export function accountView(a: fee.Account | undefined) {
  return { patronId: a?.patronId ?? "", balance: moneyOf(a?.balance), charges: (a?.charges ?? []).map(chargeView) };
}

export const loanSchema = object({
  loanId: str,
  item: ref,
  patron: ref,
  title: str,
  checkedOutAt: instant,
  dueAt: instant,
  renewalCount: int,
  renewalsRemaining: { type: ["integer", "null"] },
  recalled: bool,
  overdue: bool,
  offline: bool,
  terminalAccount: str,
});

export function loanView(l: loan.Loan) {
  return {
    loanId: l.loanId,
    item: refOf(l.item),
    patron: refOf(l.patron),
    title: l.title,
    checkedOutAt: iso(l.checkedOutAt),
    dueAt: iso(l.dueAt),
    renewalCount: l.renewalCount,
    renewalsRemaining: l.renewalsRemaining ?? null,
    recalled: l.recalled,
    overdue: l.overdue,
    offline: l.offline,
    terminalAccount: l.terminalAccount,
  };
}

export const loansSchema = object({ loans: { type: "array", items: loanSchema }, overdue: int, recalled: int });

export const holdSchema = object({
  holdId: str,
  patron: ref,
  holdType: str,
  item: nullable(ref),
  titleId: str,
  title: str,
  pickupLocation: str,
  status: str,
  queuePosition: int,
  placedAt: instant,
  expiresAt: instant,
  trappedItem: nullable(ref),
  availableAt: instant,
  pickupBy: instant,
});

export function holdView(h: hold.Hold) {
  return {
    holdId: h.holdId,
    patron: refOf(h.patron),
    holdType: common.holdTypeToJSON(h.holdType),
    item: refOrNull(h.item),
    titleId: h.titleId,
    title: h.title,
    pickupLocation: h.pickupLocation,
    status: hold.holdStatusToJSON(h.status),
    queuePosition: h.queuePosition,
    placedAt: iso(h.placedAt),
    expiresAt: iso(h.expiresAt),
    trappedItem: refOrNull(h.trappedItem),
    availableAt: iso(h.availableAt),
    pickupBy: iso(h.pickupBy),
  };
}

export const holdsSchema = object({ holds: { type: "array", items: holdSchema }, available: int, waiting: int });

export const itemCoreSchema = object({
  itemId: str,
  institution: str,
  barcode: str,
  title: str,
  titleId: str,
  itemType: str,
  mediaType: str,
  state: str,
  circulating: bool,
  permanentLocation: str,
  currentLocation: str,
  currentInstitution: str,
  inTransitTo: str,
  callNumber: str,
  collectionCode: str,
  owner: str,
});

export const itemViewSchema = object({
  item: itemCoreSchema,
  loan: nullable(loanSchema),
  holds: object({ queueLength: int, trappedFor: nullable(holdSchema), queue: { type: "array", items: holdSchema } }),
});

export function itemCore(i: item.Item) {
  return {
    itemId: i.itemId,
    ...refOf(i.item),
    title: i.title,
    titleId: i.titleId,
    itemType: i.itemType,
    mediaType: common.mediaTypeToJSON(i.mediaType),
    // On loan and on the hold shelf belong to the loan and hold services: read them from `loan` and `holds`.
    state: item.itemStateToJSON(i.state),
    circulating: i.circulating,
    permanentLocation: i.permanentLocation,
    currentLocation: i.currentLocation,
    currentInstitution: i.currentInstitutionId,
    inTransitTo: i.inTransitTo,
    callNumber: i.callNumber,
    collectionCode: i.collectionCode,
    owner: i.owner,
  };
}

export function itemView(i: item.Item, current: loan.Loan | undefined, queue: hold.GetQueueResponse) {
  return {
    item: itemCore(i),
    loan: current ? loanView(current) : null,
    holds: { queueLength: queue.queueLength, trappedFor: queue.trappedHold ? holdView(queue.trappedHold) : null, queue: queue.holds.map(holdView) },
  };
}
