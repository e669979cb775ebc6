import { fee, hold, item, loan, patron } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";
import type { ImportPlan } from "../plan.js";

/** gRPC addresses (host:port) of the five services. */
export interface ServiceAddresses {
  readonly patron: string;
  readonly item: string;
  readonly loan: string;
  readonly fee: string;
  readonly hold: string;
}

/** What one admin call changed. */
export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

/** What the import did, section by section, as the services reported it. */
export interface ImportSummary {
  institutions: { patron: Counts; loan: Counts; fee: Counts };
  patronTypes: Counts;
  loanRules: Counts;
  calendars: Counts;
  patrons: Counts;
  /** Patrons whose lost-card flag was changed (`updated`) or already as given (`unchanged`). */
  cardLost: Counts;
  items: Counts;
  /** `imported` = new loans and loans whose dates changed; `skipped` with the service's reasons. */
  loans: { imported: number; unchanged: number; skipped: number; skippedLoans: { item: string; patron: string; reason: string }[] };
  holds: Counts;
  /** The fee service counts a charge imported before (same id) as skipped. */
  charges: { imported: number; skipped: number };
}

/** An admin call failed: which step, and the service's message. Steps before it were applied. */
export class ImportCallError extends Error {
  override readonly name = "ImportCallError";
  constructor(
    readonly step: string,
    readonly code: grpc.status | undefined,
    detail: string,
  ) {
    super(`${step} failed${code === undefined ? "" : ` (${grpc.status[code]})`}: ${detail}`);
  }
}

/** Records per request: well under gRPC's 4 MB default, and short transactions in the services. */
const BATCH = 500;
const CALL_TIMEOUT_MS = 120_000;

type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;
type Unary<Req, Res> = (req: Req, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, cb: Callback<Res>) => unknown;

function call<Req, Res>(step: string, client: grpc.Client, method: Unary<Req, Res>, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, new grpc.Metadata(), { deadline: new Date(Date.now() + CALL_TIMEOUT_MS) }, (err, res) =>
      err ? reject(new ImportCallError(step, err.code, err.details || err.message)) : resolve(res),
    );
  });
}

function batches<T>(records: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < records.length; i += BATCH) out.push(records.slice(i, i + BATCH));
  return out;
}

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });
const add = (a: Counts, b: Partial<Counts>): void => {
  a.created += b.created ?? 0;
  a.updated += b.updated ?? 0;
  a.unchanged += b.unchanged ?? 0;
};

/** Sends a plan to the services in dependency order and sums up their answers. */
export async function applyPlan(
  plan: ImportPlan,
  addresses: ServiceAddresses,
  creds: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
): Promise<ImportSummary> {
  const patrons = new patron.PatronsClient(addresses.patron, creds);
  const items = new item.ItemsClient(addresses.item, creds);
  const loans = new loan.LoansClient(addresses.loan, creds);
  const fees = new fee.FeesClient(addresses.fee, creds);
  const holds = new hold.HoldsClient(addresses.hold, creds);
  const s: ImportSummary = {
    institutions: { patron: zero(), loan: zero(), fee: zero() },
    patronTypes: zero(),
    loanRules: zero(),
    calendars: zero(),
    patrons: zero(),
    cardLost: zero(),
    items: zero(),
    loans: { imported: 0, unchanged: 0, skipped: 0, skippedLoans: [] },
    holds: zero(),
    charges: { imported: 0, skipped: 0 },
  };
  try {
    // 1. Institutions: every later record is read in their zones and currencies.
    const inst = plan.institutions;
    if (inst.patron.length > 0) {
      await Promise.all([
        call("patron UpsertInstitutions", patrons, patrons.upsertInstitutions, { institutions: inst.patron }).then((r) => add(s.institutions.patron, r)),
        call("loan UpsertInstitutions", loans, loans.upsertInstitutions, { institutions: inst.loan }).then((r) => add(s.institutions.loan, r)),
        call("fee UpsertInstitutions", fees, fees.upsertInstitutions, { institutions: inst.fee }).then((r) =>
          add(s.institutions.fee, { ...r, unchanged: inst.fee.length - r.created - r.updated }),
        ),
      ]);
    }
    // 2. Policies: patron types, loan rules, calendars.
    await Promise.all([
      plan.patronTypes.length > 0 &&
        call("patron UpsertPatronTypes", patrons, patrons.upsertPatronTypes, { patronTypes: plan.patronTypes }).then((r) => add(s.patronTypes, r)),
      plan.loanRules.length > 0 &&
        call("loan UpsertLoanRules", loans, loans.upsertLoanRules, { rules: plan.loanRules }).then((r) =>
          add(s.loanRules, { created: r.created, unchanged: r.unchanged, updated: r.upserted - r.created - r.unchanged }),
        ),
      ...plan.calendars.map((calendar) =>
        call("loan UpsertCalendar", loans, loans.upsertCalendar, { calendar }).then((r) =>
          add(s.calendars, r.unchanged ? { unchanged: 1 } : r.replaced ? { updated: 1 } : { created: 1 }),
        ),
      ),
    ]);
    // 3. Patrons and items (independent of each other).
    await Promise.all([
      (async () => {
        for (const batch of batches(plan.patrons)) {
          const r = await call("patron UpsertPatrons", patrons, patrons.upsertPatrons, { patrons: batch.map((p) => p.record) });
          add(s.patrons, r);
        }
        for (const p of plan.patrons) if (p.cardLost !== undefined) add(s.cardLost, await setCardLost(patrons, p.record.patron!, p.cardLost));
      })(),
      (async () => {
        for (const batch of batches(plan.items)) {
          const r = await call("item UpsertItems", items, items.upsertItems, { items: batch });
          add(s.items, { ...r, unchanged: batch.length - r.created - r.updated });
        }
      })(),
    ]);
    // 4. Loans, then holds (a hold may wait for a copy that is on loan), then charges.
    for (const batch of batches(plan.loans)) {
      const r = await call("loan ImportLoans", loans, loans.importLoans, { loans: batch });
      s.loans.imported += r.imported;
      s.loans.unchanged += r.unchanged;
      s.loans.skipped += r.skipped;
      for (const k of r.skippedLoans) s.loans.skippedLoans.push({ item: refText(k.item), patron: refText(k.patron), reason: k.reason });
    }
    for (const batch of batches(plan.holds)) add(s.holds, await call("hold UpsertHolds", holds, holds.upsertHolds, { holds: batch }));
    for (const batch of batches(plan.charges)) {
      const r = await call("fee ImportCharges", fees, fees.importCharges, { charges: batch });
      s.charges.imported += r.imported;
      s.charges.skipped += r.skipped;
    }
    return s;
  } finally {
    for (const c of [patrons, items, loans, fees, holds]) c.close();
  }
}

const refText = (ref: { institutionId: string; barcode: string } | undefined) => (ref ? `${ref.institutionId}/${ref.barcode}` : "");

/** Staff's lost-card flag, changed only when it differs, so a re-run reports it unchanged. */
async function setCardLost(client: patron.PatronsClient, ref: { institutionId: string; barcode: string }, lost: boolean): Promise<Partial<Counts>> {
  const found = await call("patron GetPatron", client, client.getPatron, { key: { $case: "patron", value: ref } });
  if (found.patron?.cardLost === lost) return { unchanged: 1 };
  await call("patron SetCardLost", client, client.setCardLost, { patron: ref, lost });
  return { updated: 1 };
}
