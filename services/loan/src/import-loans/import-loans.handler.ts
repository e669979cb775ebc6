import type { common, loan, patron as patronApi, StoredEvent } from "@circulate/contracts";
import { aggregateStream, appendToStream, ConcurrencyError } from "@circulate/eventstore";
import { InvalidArgumentError, orNotFound } from "@circulate/service";
import type { LoanDatabase } from "../adapters/db.js";
import { findItems } from "../adapters/peer-facts.repository.js";
import { loanStreamId, NO_RULE } from "../domain/index.js";
import type { LoanDeps } from "../app/command.js";
import { type ItemInfo, itemInfo } from "../app/facts.js";
import { evolveStream, initialStream, type LoanStream, storedEvents } from "../app/loan-stream.js";
import { writeLoanRow } from "../app/loans.projection.js";
import { peerFactsCurrent } from "../app/lookups.js";
import { institutionTerms, ruleFor } from "../app/terms.js";
import { circulatedSinceImport, decideImportLoan, type ImportPatron, type ImportSkipReason } from "./import-loan.decider.js";

/**
 * Admin ImportLoans: loans that exist in a previous system (e.g. a loan 10
 * days overdue), each appended as `LoanImported` to its item's stream under
 * the loan rule that applies to it now (so renewals and fines work). The
 * patron and the item are asked of their services. Idempotent per item: the
 * same record again changes nothing, changed dates update the patron's loan,
 * an item on loan to someone else or that circulated here since (a checkin,
 * a renewal) is skipped and left as it is (see decideImportLoan).
 */

const PEER_BUDGET_MS = 30_000;
const PARALLEL_LOOKUPS = 8;
const SKIP_TEXT: Record<ImportSkipReason, string> = {
  patron_not_found: "unknown patron",
  item_not_found: "unknown item",
  item_on_loan_to_other: "item already on loan to another patron",
  circulation_since_import: "circulation since import",
};

function validate(records: readonly loan.LoanRecord[]): void {
  const problems: string[] = [];
  records.forEach((r, i) => {
    const where = `loans[${i}]`;
    if (!r.item?.barcode) problems.push(`${where}: item barcode is required`);
    if (!r.patron?.barcode) problems.push(`${where}: patron barcode is required`);
    if (!r.checkedOutAt) problems.push(`${where}: checked_out_at is required`);
    if (!r.dueAt) problems.push(`${where}: due_at is required`);
    if (r.checkedOutAt && r.dueAt && r.dueAt.getTime() <= r.checkedOutAt.getTime()) problems.push(`${where}: due_at must be after checked_out_at`);
  });
  if (problems.length > 0) throw new InvalidArgumentError(problems);
}

const refKey = (ref: { institutionId: string; barcode: string }) => `${ref.institutionId}\u0000${ref.barcode}`;

/** Runs `fn` over `inputs` with at most `limit` calls in flight. */
async function mapLimit<T, R>(inputs: readonly T[], limit: number, fn: (input: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      results[i] = await fn(inputs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
  return results;
}

export async function importLoans(deps: LoanDeps, request: loan.ImportLoansRequest): Promise<loan.ImportLoansResponse> {
  validate(request.loans);
  const deadline = new Date(Date.now() + PEER_BUDGET_MS);
  const itemRefs = request.loans.map((r) => r.item!);
  const patronRefs = [...new Map(request.loans.map((r) => [refKey(r.patron!), r.patron!])).values()];
  // Items are imported first: our copy of them must have caught up with the item stream.
  const [, patrons] = await Promise.all([
    peerFactsCurrent(deps, deadline),
    mapLimit(patronRefs, PARALLEL_LOOKUPS, async (ref) => (await orNotFound(deps.peers.getPatron({ key: { $case: "patron", value: ref } }, deadline)))?.patron),
  ]);
  const patronByRef = new Map(patronRefs.map((ref, i) => [refKey(ref), patrons[i]]));
  const found = await findItems(deps.db, itemRefs);
  const importId = deps.newId();

  const response: loan.ImportLoansResponse = { imported: 0, skipped: 0, unchanged: 0, skippedLoans: [] };
  for (const [i, record] of request.loans.entries()) {
    const ref = record.item!;
    const item = itemInfo(ref, found[i]);
    const result = await importOne(deps, record, item, patronByRef.get(refKey(record.patron!)), importId);
    if (result === "imported" || result === "updated") response.imported++;
    else if (result === "unchanged") response.unchanged++;
    else {
      response.skipped++;
      response.skippedLoans.push({ item: ref, patron: record.patron, reason: SKIP_TEXT[result] });
    }
  }
  deps.logger.info({ importId, ...response, skippedLoans: undefined }, "loans imported");
  return response;
}

async function importOne(
  deps: LoanDeps,
  record: loan.LoanRecord,
  item: ItemInfo,
  found: patronApi.Patron | undefined,
  importId: string,
): Promise<"imported" | "updated" | "unchanged" | ImportSkipReason> {
  const patronRef: common.PatronRef = found?.patron ?? record.patron!;
  const patron: ImportPatron | null = found
    ? { patronId: found.patronId, institutionId: patronRef.institutionId, barcode: patronRef.barcode, patronType: found.patronType }
    : null;
  const owner = item.ref.institutionId;
  const [institution, rule] = await Promise.all([
    institutionTerms(deps.db, owner, deps.defaultTimeZone),
    patron && item.facts.found ? ruleFor(deps.db, { institutionId: owner, patronType: patron.patronType, itemType: item.facts.itemType }) : { rule: NO_RULE, currency: "" },
  ]);
  const command = { type: "ImportLoan" as const, loanId: deps.newId(), loanedAt: record.checkedOutAt!, dueAt: record.dueAt!, renewals: record.renewalCount };
  const currency = rule.currency || institution.currency;
  const streamId = loanStreamId(owner, item.ref.barcode);
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await deps.db.transaction().execute(async (trx) => {
        const { state, version } = await aggregateStream<LoanStream, StoredEvent, LoanDatabase>(trx, streamId, evolveStream, initialStream);
        const d = decideImportLoan(command, state.state, {
          patron,
          item: item.facts,
          rule: rule.rule,
          currency,
          circulatedSinceImport: circulatedSinceImport(state.lastEventType),
        });
        if (d.outcome === "refused") return d.reason;
        if (d.events.length > 0) {
          const { stored, after } = storedEvents(state, d.events, null);
          await appendToStream<LoanDatabase, StoredEvent>(trx, streamId, version, stored, { institution: owner, correlationId: importId, causationId: `import:${importId}` });
          await writeLoanRow(trx, streamId, after);
        }
        return d.data.kind;
      });
      if (outcome === "imported" || outcome === "updated") deps.eventsCommitted();
      return outcome;
    } catch (err) {
      // A kiosk transaction on the same item got there first: decide again on its result.
      if (!(err instanceof ConcurrencyError) || attempt >= 5) throw err;
    }
  }
}
