import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, type DomainEvent, refusedOutcome, type StoredEvent } from "@circulate/contracts";
import { aggregateStream, appendToStream, withIdempotency } from "@circulate/eventstore";
import { commandHandler, peerDeadline, storedOutcome } from "@circulate/service";
import type { LoanDatabase } from "../adapters/db.js";
import { findItems } from "../adapters/peer-facts.repository.js";
import { streamOf } from "../domain/index.js";
import type { LoanDeps } from "../app/command.js";
import { holdFacts, itemInfo } from "../app/facts.js";
import { currentLoanId, evolveStream, initialStream, type LoanStream, storedEvents } from "../app/loan-stream.js";
import { writeLoanRow } from "../app/loans.projection.js";
import { loansOfPatron } from "../adapters/loans.repository.js";
import { holdQueue, patronRefOf, peerFactsCurrent, terminalFacts, verifiedPatron } from "../app/lookups.js";
import { refusalReason } from "../app/refusals.js";
import { type InstitutionTerms, institutionTerms } from "../app/terms.js";
import { decideRenewAll, type PatronLoanFacts } from "./renew-all.decider.js";

/**
 * SIP2 65 Renew All. The patron is verified once; their loans come from our
 * read model, their items and hold queues from our copies of those facts.
 * Each loan's stream is then folded and judged by the Renew decider inside
 * ONE transaction that appends to every stream it renews (optimistic
 * concurrency per stream) and records the outcome: all or nothing.
 */
export function renewAllHandler(deps: LoanDeps): CommandHandler<"renewAll"> {
  return commandHandler(deps, (command, envelope) => renewAll(deps, command, envelope));
}

async function renewAll(deps: LoanDeps, command: commands.RenewAll, envelope: commands.CommandEnvelope): Promise<commands.Outcome> {
  const deadline = peerDeadline(envelope);
  const patronRef = patronRefOf(command.patron, envelope);
  const [patron] = await Promise.all([verifiedPatron(deps.peers, patronRef, command.pin, envelope, deadline), peerFactsCurrent(deps, deadline)]);
  const patronId = patron.facts.found ? patron.facts.patronId : null;
  // Nothing to look up for a request that will be refused whole.
  const judged = patron.facts.found && patron.facts.pin !== "wrong" && patron.facts.pin !== "locked";
  const rows = judged && patronId ? await loansOfPatron(deps.db, patronId) : [];
  const refs = rows.map((r) => ({ institutionId: r.item_institution_id, barcode: r.item_barcode }));
  const items = (await findItems(deps.db, refs)).map((found, i) => itemInfo(refs[i]!, found));
  const queues = await Promise.all(items.map((item) => holdQueue(deps.db, item)));
  const terms = new Map<string, InstitutionTerms>();
  for (const id of new Set(refs.map((r) => r.institutionId))) terms.set(id, await institutionTerms(deps.db, id, deps.defaultTimeZone));

  const terminal = terminalFacts(envelope, { renewalAllowed: true, noBlock: false, noBlockDueDate: undefined });
  const metadata = { institution: envelope.institutionId, correlationId: envelope.correlationId, causationId: envelope.commandId, offline: false };
  let appended = false;
  const result = await withIdempotency<LoanDatabase, unknown>(deps.db, { commandId: envelope.commandId, deadline: envelope.deadline }, async (trx) => {
    appended = false;
    const now = deps.now();
    const streams: { state: LoanStream; version: number }[] = [];
    for (const row of rows) streams.push(await aggregateStream<LoanStream, StoredEvent, LoanDatabase>(trx, row.stream_id, evolveStream, initialStream));
    const loans: PatronLoanFacts[] = rows.map((row, i) => ({
      itemBarcode: row.item_barcode,
      state: streams[i]!.state.state,
      item: items[i]!.facts,
      holds: holdFacts(queues[i] ?? null, items[i]!, patronId, now),
      time: terms.get(row.item_institution_id)!.time,
    }));
    const d = decideRenewAll({ type: "RenewAllLoans", institutionId: envelope.institutionId, patronBarcode: patronRef.barcode }, { patron: patron.facts, terminal, loans }, now);
    if (d.outcome === "refused") {
      return commands.Outcome.toJSON(refusedOutcome(envelope, refusalReason(d.reason), d.detail ?? d.reason, { patron: patron.standing }, now));
    }

    const byStream = new Map<string, DomainEvent<"loan">[]>();
    for (const event of d.events) byStream.set(streamOf(event), [...(byStream.get(streamOf(event)) ?? []), event]);
    const entries = rows.map((row, i) => {
      const stream = streams[i]!.state;
      return { row, stream, summary: items[i]!.summary, loanId: currentLoanId(stream) || row.loan_id };
    });
    for (const [i, { row, stream }] of entries.entries()) {
      const events = byStream.get(row.stream_id);
      if (!events) continue;
      const { stored, after } = storedEvents(stream, events, null);
      await appendToStream<LoanDatabase, StoredEvent>(trx, row.stream_id, streams[i]!.version, stored, metadata);
      await writeLoanRow(trx, row.stream_id, after);
      appended = true;
    }

    const entryOf = (barcode: string) => entries.find((e) => e.row.item_barcode === barcode)!;
    const renewed = d.data.renewed.map((r) => {
      const e = entryOf(r.itemBarcode);
      return { loanId: e.loanId, item: e.summary, dueAt: new Date(r.dueAt), reason: commands.RefusalReason.UNSPECIFIED };
    });
    const unrenewed = d.data.unrenewed.map((u) => {
      const e = entryOf(u.itemBarcode);
      const state = e.stream.state;
      return { loanId: e.loanId, item: e.summary, dueAt: state.status === "on_loan" ? state.loan.dueAt : undefined, reason: refusalReason(u.reason) };
    });
    return commands.Outcome.toJSON(acceptedOutcome(envelope, { $case: "renewAll", value: { renewed, unrenewed, fees: [] } }, now));
  });
  if (appended && !result.replayed) deps.eventsCommitted();
  return storedOutcome(result.outcome, result.replayed);
}
