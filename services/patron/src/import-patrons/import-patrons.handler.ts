import { patron as patronApi, uuidv7 } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { institutionZones } from "../adapters/reference-data.repository.js";
import {
  codeOfLanguage,
  expiryDateOf,
  type PatronId,
  type PatronRecord,
  patronRecordProblem,
  patronStreamId,
} from "../domain/index.js";
import type { PatronApp } from "../app/context.js";
import { decideOnPatron, readPatron, StaleFactsError } from "../app/patron-store.js";
import { MalformedPinHashError } from "../app/pin-hasher.js";
import { forgetPinIfChanged } from "../app/pin-check.js";
import { decideImportPatron } from "./import-patron.decider.js";

/** scrypt runs on libuv's pool (4 threads by default): more in flight only queues. */
const CONCURRENCY = 4;

interface Prepared {
  readonly index: number;
  readonly id: PatronId;
  readonly record: PatronRecord;
  readonly pin: string | undefined;
  readonly blockReason: string;
  readonly timeZone: string;
}

const orNull = (s: string): string | null => (s.trim() === "" ? null : s);

function hasLimits(l: patronApi.PatronLimits | undefined): boolean {
  return l !== undefined && (l.maxLoans !== undefined || l.maxOverdue !== undefined || l.maxHolds !== undefined || l.feeLimit !== undefined);
}

/**
 * `Patrons.UpsertPatrons`: creates or replaces patrons keyed by (institution,
 * barcode). Idempotent: a record equal to what is stored writes nothing, a
 * PIN that already matches the stored hash is not re-hashed (a new salt would
 * make every re-run write PinChanged), and the block follows
 * `decideImportBlock`. Every record is validated before any is written: one
 * bad record fails the call with INVALID_ARGUMENT and changes nothing.
 *
 * `expires_at` is the instant the card stops working; it is stored as the
 * local expiry date in the home institution's zone (load institutions first).
 */
export async function upsertPatrons(
  app: PatronApp,
  request: patronApi.UpsertPatronsRequest,
  correlationId: string,
): Promise<patronApi.UpsertPatronsResponse> {
  const zones = await zonesOf(app, request.patrons);
  const problems: string[] = [];
  const prepared: Prepared[] = [];
  const seen = new Set<string>();
  for (const [index, p] of request.patrons.entries()) {
    const at = `patrons[${index}]`;
    const ref = p.patron;
    if (!ref?.institutionId || !ref.barcode) {
      problems.push(`${at}: patron.institution_id and patron.barcode are required`);
      continue;
    }
    const key = patronStreamId({ institution: ref.institutionId, barcode: ref.barcode });
    if (seen.has(key)) {
      problems.push(`${at}: ${ref.institutionId}/${ref.barcode} appears twice`);
      continue;
    }
    seen.add(key);
    if (hasLimits(p.limits)) {
      problems.push(`${at}: per-patron limits are not supported; set them on the patron type`);
      continue;
    }
    if (p.pin === "") {
      problems.push(`${at}: pin is empty (leave it unset to keep the PIN)`);
      continue;
    }
    const home = p.homeLocation || ref.institutionId;
    const timeZone = zones.get(home) ?? zones.get(ref.institutionId) ?? app.options.defaultTimeZone;
    const record: PatronRecord = {
      name: p.name,
      patronType: p.patronType,
      homeInstitution: home,
      expiryDate: p.expiresAt ? expiryDateOf(p.expiresAt, timeZone) : null,
      email: orNull(p.email),
      phone: orNull(p.phone),
      address: orNull(p.homeAddress),
      birthDate: orNull(p.birthDate),
      language: codeOfLanguage(p.language),
    };
    const problem = patronRecordProblem(record);
    if (problem) {
      problems.push(`${at}: ${problem}`);
      continue;
    }
    prepared.push({ index, id: { institution: ref.institutionId, barcode: ref.barcode }, record, pin: p.pin, blockReason: p.blockReason, timeZone });
  }
  if (problems.length > 0) throw new InvalidArgumentError(problems.slice(0, 20));

  const counts = { created: 0, updated: 0, unchanged: 0 };
  let next = 0;
  const worker = async () => {
    while (next < prepared.length) {
      const item = prepared[next++]!;
      counts[await importOne(app, item, correlationId)]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, prepared.length) }, worker));
  return patronApi.UpsertPatronsResponse.create(counts);
}

function zonesOf(app: PatronApp, patrons: readonly patronApi.PatronRecord[]): Promise<Map<string, string>> {
  const ids = [...new Set(patrons.flatMap((p) => [p.homeLocation, p.patron?.institutionId ?? ""]).filter((s) => s !== ""))];
  return institutionZones(app.db, ids);
}

async function importOne(app: PatronApp, item: Prepared, correlationId: string): Promise<"created" | "updated" | "unchanged"> {
  const streamId = patronStreamId(item.id);
  for (let attempt = 1; ; attempt++) {
    const state = await readPatron(app.db, streamId);
    const seenHash = state.status === "registered" ? state.pin.hash : null;
    const newPinHash = item.pin === undefined || (await pinAlreadySet(app, streamId, seenHash, item.pin)) ? null : await app.hasher.hash(item.pin);
    try {
      const result = await decideOnPatron(app.db, {
        streamId,
        metadata: { institution: item.id.institution, correlationId },
        terminalAccount: "",
        decide: (current) => {
          const currentHash = current.status === "registered" ? current.pin.hash : null;
          if (item.pin !== undefined && currentHash !== seenHash) throw new StaleFactsError("PIN changed during import");
          const d = decideImportPatron(
            {
              type: "ImportPatron",
              patron: item.id,
              patronId: current.status === "registered" ? current.patronId : uuidv7(),
              record: item.record,
              newPinHash,
              blockReason: item.blockReason,
            },
            current,
            { timeZone: item.timeZone },
          );
          if (d.outcome === "refused") throw new InvalidArgumentError([`patrons[${item.index}]: ${d.detail ?? d.reason}`]);
          return { events: d.events, outcome: d.data.change };
        },
      });
      forgetPinIfChanged(app, streamId, result.events);
      if (result.events.length > 0) app.eventsCommitted();
      return result.outcome;
    } catch (error) {
      if (!(error instanceof StaleFactsError) || attempt >= 3) throw error;
    }
  }
}

/** The given PIN already matches the stored hash (a corrupt hash does not: the import replaces it). */
async function pinAlreadySet(app: PatronApp, streamId: string, hash: string | null, pin: string): Promise<boolean> {
  if (hash === null) return false;
  if (app.pinCache.has(streamId, hash, pin)) return true;
  try {
    return await app.hasher.verify(pin, hash);
  } catch (error) {
    if (error instanceof MalformedPinHashError) return false;
    throw error;
  }
}
