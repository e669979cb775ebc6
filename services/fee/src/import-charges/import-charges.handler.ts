import { type common, fee } from "@circulate/contracts";
import { decideOnAccount, inTransaction, toAppend } from "../app/account.store.js";
import { adminPeerDeadline } from "../app/admin-command.js";
import { invalid } from "../app/admin-error.js";
import type { FeeDeps } from "../app/deps.js";
import { importedFeeId } from "../app/ids.js";
import { institutionSettings } from "../app/institutions.js";
import { decideChargeFee } from "../charge-fee/charge-fee.decider.js";
import { feeStreamId, feeTypeCode, isCurrencyCode } from "../domain/index.js";

/**
 * `Fees.ImportCharges`: open charges from a previous system. The record's
 * external_id (within the patron's institution) fixes the fee id, so running
 * the same import again finds every charge already there and adds nothing
 * (counted as skipped). A record whose external id was imported with other terms
 * is skipped and logged, never applied twice. Records for patrons the patron
 * service does not know are skipped. The whole request is validated first: one
 * malformed record rejects it (INVALID_ARGUMENT) before anything is written.
 */
export async function importCharges(deps: FeeDeps, req: fee.ImportChargesRequest): Promise<fee.ImportChargesResponse> {
  req.charges.forEach((r, i) => {
    const problem = recordProblem(r);
    if (problem) throw invalid(`charges[${i}]: ${problem}`);
  });

  const patronIds = await resolvePatrons(deps, req.charges.map((r) => r.patron!));
  let imported = 0;
  let skipped = 0;
  for (const record of req.charges) {
    const ref = record.patron!;
    const patronId = patronIds.get(key(ref));
    if (patronId === undefined) {
      deps.logger.warn({ externalId: record.externalId, patron: ref.barcode }, "imported charge skipped: unknown patron");
      skipped++;
      continue;
    }
    if (await importOne(deps, record, ref, patronId)) imported++;
    else skipped++;
  }
  if (imported > 0) deps.eventsCommitted();
  return fee.ImportChargesResponse.create({ imported, skipped });
}

function recordProblem(r: fee.ChargeRecord): string | null {
  if (!r.patron?.barcode || !r.patron.institutionId) return "patron needs institution_id and barcode";
  if (!r.externalId) return "external_id is required (the import's idempotency key)";
  if (!feeTypeCode(r.feeType)) return "fee_type is required";
  const amount = r.outstanding?.amountMinor ?? 0;
  if (!Number.isSafeInteger(amount) || amount <= 0) return "outstanding must be a positive amount in minor units";
  if (r.outstanding?.currency && !isCurrencyCode(r.outstanding.currency)) return `currency ${JSON.stringify(r.outstanding.currency)} is not ISO 4217`;
  if (r.chargedAt && Number.isNaN(r.chargedAt.getTime())) return "charged_at is not a valid time";
  return null;
}

const key = (ref: common.PatronRef) => `${ref.institutionId}\u0000${ref.barcode}`;

/**
 * Internal ids of the distinct patrons, asked in parallel; unknown patrons are
 * absent. A patron service that does not answer fails the import before
 * anything is written (PeerUnavailableError).
 */
async function resolvePatrons(deps: FeeDeps, refs: readonly common.PatronRef[]): Promise<Map<string, string>> {
  const distinct = new Map(refs.map((r) => [key(r), r]));
  const deadline = adminPeerDeadline();
  const answers = await Promise.all(
    [...distinct.values()].map(async (ref) => {
      const p = await deps.patrons.getPatron({ key: { $case: "patron", value: ref } }, deadline);
      return [key(ref), p?.patronId] as const;
    }),
  );
  return new Map(answers.filter((a): a is readonly [string, string] => a[1] !== undefined));
}

async function importOne(deps: FeeDeps, record: fee.ChargeRecord, ref: common.PatronRef, patronId: string): Promise<boolean> {
  const settings = await institutionSettings(deps.db, ref.institutionId, deps.defaults);
  const currency = record.outstanding?.currency || settings.currency;
  const chargeId = importedFeeId(ref.institutionId, record.externalId);
  const { result, appended } = await inTransaction(deps.db, (trx) =>
    decideOnAccount(
      trx,
      feeStreamId(ref.institutionId, ref.barcode),
      (state) => {
        const now = deps.now();
        const d = decideChargeFee(
          {
            chargeId,
            patron: ref,
            feeType: feeTypeCode(record.feeType),
            amount: record.outstanding?.amountMinor ?? 0,
            currency,
            description: record.description,
            item: record.item ?? null,
            title: record.title || null,
            chargedAt: record.chargedAt ? record.chargedAt.toISOString() : null,
            sourceId: record.externalId,
          },
          state,
          now.toISOString(),
        );
        return { events: toAppend(d.events, { patronId, at: now }), result: d };
      },
      { institution: ref.institutionId, correlationId: `import:${record.externalId}`, causationId: `import:${record.externalId}` },
    ),
  );
  if (result.outcome === "refused") {
    deps.logger.warn({ externalId: record.externalId, reason: result.reason, detail: result.detail }, "imported charge skipped");
    return false;
  }
  return appended.length > 0;
}
