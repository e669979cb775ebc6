import { fee, hold, item, loan, patron } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";
import type { ImportPlan, ReferencePlan } from "../plan.js";
import type { PatronInput } from "../records.js";

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
export const BATCH = 500;
/**
 * Batches of patrons or of items in flight at once, by default. The services
 * write a record per transaction, one after another within a batch, so
 * batches sent side by side are what keeps their database busy.
 */
export const DEFAULT_BATCHES_IN_FLIGHT = 4;
/** Lost-card checks in flight at once (two calls each). */
const CARD_LOST_IN_FLIGHT = 16;
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

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });
const add = (a: Counts, b: Partial<Counts>): void => {
  a.created += b.created ?? 0;
  a.updated += b.updated ?? 0;
  a.unchanged += b.unchanged ?? 0;
};

export const emptySummary = (): ImportSummary => ({
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
});

/** The five admin clients of one import, and what they reported so far. */
export class ImportClients {
  readonly patrons: patron.PatronsClient;
  readonly items: item.ItemsClient;
  readonly loans: loan.LoansClient;
  readonly fees: fee.FeesClient;
  readonly holds: hold.HoldsClient;
  readonly summary = emptySummary();

  constructor(
    addresses: ServiceAddresses,
    creds: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
    private readonly inFlight = DEFAULT_BATCHES_IN_FLIGHT,
  ) {
    this.patrons = new patron.PatronsClient(addresses.patron, creds);
    this.items = new item.ItemsClient(addresses.item, creds);
    this.loans = new loan.LoansClient(addresses.loan, creds);
    this.fees = new fee.FeesClient(addresses.fee, creds);
    this.holds = new hold.HoldsClient(addresses.hold, creds);
  }

  close(): void {
    for (const c of [this.patrons, this.items, this.loans, this.fees, this.holds]) c.close();
  }

  /** Institutions, then patron types, loan rules and calendars: every later record is read against them. */
  async reference(plan: ReferencePlan): Promise<void> {
    const { patrons, loans, fees, summary: s } = this;
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
  }

  /** Sends patrons in batches; `sent` hears how many each answered batch held. */
  patronSender(sent: (n: number) => void): BatchSender<PatronInput> {
    return new BatchSender(this.inFlight, async (batch) => {
      add(this.summary.patrons, await call("patron UpsertPatrons", this.patrons, this.patrons.upsertPatrons, { patrons: batch.map((p) => p.record) }));
      const lost = batch.filter((p) => p.cardLost !== undefined);
      for (let i = 0; i < lost.length; i += CARD_LOST_IN_FLIGHT) {
        const counts = await Promise.all(lost.slice(i, i + CARD_LOST_IN_FLIGHT).map((p) => this.#setCardLost(p.record.patron!, p.cardLost!)));
        for (const c of counts) add(this.summary.cardLost, c);
      }
      sent(batch.length);
    });
  }

  itemSender(sent: (n: number) => void): BatchSender<item.ItemRecord> {
    return new BatchSender(this.inFlight, async (batch) => {
      const r = await call("item UpsertItems", this.items, this.items.upsertItems, { items: batch });
      add(this.summary.items, { ...r, unchanged: batch.length - r.created - r.updated });
      sent(batch.length);
    });
  }

  /** Loans, then holds (a hold may wait for a copy that is on loan), then charges; `sent` hears each answered batch (and 0 before the first). */
  async circulation(
    plan: Pick<ImportPlan, "loans" | "holds" | "charges">,
    sent: (section: "loans" | "holds" | "charges", n: number) => void,
  ): Promise<void> {
    const s = this.summary;
    const start = (section: "loans" | "holds" | "charges") => plan[section].length > 0 && sent(section, 0);
    start("loans");
    for (const batch of batches(plan.loans)) {
      const r = await call("loan ImportLoans", this.loans, this.loans.importLoans, { loans: batch });
      s.loans.imported += r.imported;
      s.loans.unchanged += r.unchanged;
      s.loans.skipped += r.skipped;
      for (const k of r.skippedLoans) s.loans.skippedLoans.push({ item: refText(k.item), patron: refText(k.patron), reason: k.reason });
      sent("loans", batch.length);
    }
    start("holds");
    for (const batch of batches(plan.holds)) {
      add(s.holds, await call("hold UpsertHolds", this.holds, this.holds.upsertHolds, { holds: batch }));
      sent("holds", batch.length);
    }
    start("charges");
    for (const batch of batches(plan.charges)) {
      const r = await call("fee ImportCharges", this.fees, this.fees.importCharges, { charges: batch });
      s.charges.imported += r.imported;
      s.charges.skipped += r.skipped;
      sent("charges", batch.length);
    }
  }

  /** Staff's lost-card flag, changed only when it differs, so a re-run reports it unchanged. */
  async #setCardLost(ref: { institutionId: string; barcode: string }, lost: boolean): Promise<Partial<Counts>> {
    const found = await call("patron GetPatron", this.patrons, this.patrons.getPatron, { key: { $case: "patron", value: ref } });
    if (found.patron?.cardLost === lost) return { unchanged: 1 };
    // The card state comes from the previous system: the import is who set it here.
    await call("patron SetCardLost", this.patrons, this.patrons.setCardLost, { patron: ref, lost, staff: "circulate-import" });
    return { updated: 1 };
  }
}

/**
 * Collects records into batches of {@link BATCH} and sends them with at most
 * `inFlight` batches outstanding: `add` waits while that many are, so
 * reading the input never runs ahead of the services by more than that.
 * A failed batch fails the next `add` or `flush`.
 */
export class BatchSender<T> {
  #batch: T[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #failure: unknown;

  constructor(
    private readonly inFlight: number,
    private readonly send: (batch: T[]) => Promise<void>,
  ) {}

  async add(record: T): Promise<void> {
    this.#batch.push(record);
    if (this.#batch.length >= BATCH) await this.#dispatch();
  }

  async flush(): Promise<void> {
    if (this.#batch.length > 0) await this.#dispatch();
    while (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
    this.#check();
  }

  async #dispatch(): Promise<void> {
    const batch = this.#batch;
    this.#batch = [];
    while (this.#inFlight.size >= this.inFlight) await Promise.race(this.#inFlight);
    this.#check();
    const p: Promise<void> = this.send(batch).then(
      () => void this.#inFlight.delete(p),
      (err: unknown) => {
        this.#failure ??= err;
        this.#inFlight.delete(p);
      },
    );
    this.#inFlight.add(p);
  }

  #check(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}

function batches<T>(records: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < records.length; i += BATCH) out.push(records.slice(i, i + BATCH));
  return out;
}

const refText = (ref: { institutionId: string; barcode: string } | undefined) => (ref ? `${ref.institutionId}/${ref.barcode}` : "");

/** Sends a plan held in memory to the services in dependency order and sums up their answers. */
export async function applyPlan(
  plan: ImportPlan,
  addresses: ServiceAddresses,
  creds: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
): Promise<ImportSummary> {
  const clients = new ImportClients(addresses, creds);
  try {
    await clients.reference(plan);
    const patrons = clients.patronSender(() => {});
    const items = clients.itemSender(() => {});
    for (const p of plan.patrons) await patrons.add(p);
    for (const i of plan.items) await items.add(i);
    await Promise.all([patrons.flush(), items.flush()]);
    await clients.circulation(plan, () => {});
    return clients.summary;
  } finally {
    clients.close();
  }
}
