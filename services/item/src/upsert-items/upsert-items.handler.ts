import { fromStoredEvent, item as itemPb, uuidv7 } from "@circulate/contracts";
import { appendToStreams, ConcurrencyError, type Event, type EventMetadata, readStream, readStreams, type RecordedEvent } from "@circulate/eventstore";
import { InvalidArgumentError } from "@circulate/service";
import type { Kysely } from "kysely";
import type { ItemDatabase } from "../adapters/db.js";
import { writeItemRows } from "../adapters/items.repository.js";
import { itemRecordProblem, itemStreamId, type Location, recordOf } from "../domain/index.js";
import { decideImportItem, evolveImportHistory, type ImportedState, type ImportHistory, type ImportItem } from "./import-item.decider.js";
import { appendItemEvents, evolveStoredItem, initialStoredItem, type LoadedItem, projectedRow, type StoredItem, storedItemEvents } from "../app/item-store.js";

/** A record that cannot be imported as given: gRPC INVALID_ARGUMENT, nothing of the request applied. */
const invalid = (problem: string) => new InvalidArgumentError([problem]);

/** Valid records whose state change the transition rules refuse: gRPC FAILED_PRECONDITION; the others were applied. */
export class ImportRefusedError extends Error {
  override readonly name = "ImportRefusedError";
}

const MAX_ATTEMPTS = 5;
/** Marks the events an import writes, so a later import tells them from circulation. */
const IMPORT_CAUSATION = "import";

/** The item stream folded for an import: the item as every command sees it, and its import history. */
type Folded = { stored: StoredItem; history: ImportHistory };
type LoadedForImport = LoadedItem & { history: ImportHistory };

function evolveForImport(s: Folded, event: RecordedEvent): Folded {
  const domain = fromStoredEvent("item", event);
  const byImport = (event.metadata as EventMetadata).causationId === IMPORT_CAUSATION;
  return { stored: evolveStoredItem(s.stored, event), history: domain ? evolveImportHistory(s.history, domain, byImport) : s.history };
}

const initialForImport = (): Folded => ({ stored: initialStoredItem(), history: { circulatedSinceImport: false } });

function foldForImport(streamId: string, events: readonly RecordedEvent[]): LoadedForImport {
  const state = events.reduce(evolveForImport, initialForImport());
  return { streamId, version: events.at(-1)?.streamPosition ?? 0, stored: state.stored, history: state.history };
}

async function loadForImport(trx: Kysely<ItemDatabase>, streamId: string): Promise<LoadedForImport> {
  return foldForImport(streamId, await readStream<RecordedEvent, ItemDatabase>(trx, streamId));
}

function importedState(r: itemPb.ItemRecord, at: (location: string, institution: string) => Location): ImportedState | null {
  switch (r.state) {
    case itemPb.ItemState.UNSPECIFIED:
      return null;
    case itemPb.ItemState.AVAILABLE:
      return { state: "available" };
    case itemPb.ItemState.ON_LOAN:
      return { state: "on_loan" };
    case itemPb.ItemState.ON_HOLD_SHELF:
      return { state: "on_hold_shelf", pickup: at(r.currentLocation || r.permanentLocation, r.currentInstitutionId) };
    case itemPb.ItemState.IN_TRANSIT:
      if (!r.inTransitTo) throw invalid("state IN_TRANSIT needs in_transit_to");
      return { state: "in_transit", destination: at(r.inTransitTo, r.inTransitToInstitutionId) };
    case itemPb.ItemState.MISSING:
      return { state: "missing" };
    case itemPb.ItemState.LOST:
      return { state: "lost" };
    case itemPb.ItemState.CLAIMED_RETURNED:
      return { state: "claimed_returned" };
    case itemPb.ItemState.IN_PROCESS:
      return { state: "in_process" };
    default:
      throw invalid(`state ${r.state} cannot be imported (supported: AVAILABLE, ON_LOAN, ON_HOLD_SHELF, IN_TRANSIT, MISSING, LOST, CLAIMED_RETURNED, IN_PROCESS)`);
  }
}

/** Checks one record and turns it into the domain's import command. Throws InvalidArgumentError naming the record. */
export function toImportItem(r: itemPb.ItemRecord, index: number): ImportItem {
  const where = `items[${index}] (${r.item?.institutionId ?? ""}/${r.item?.barcode ?? ""})`;
  try {
    if (!r.item?.institutionId) throw invalid("item.institution_id is empty");
    if (!r.item.barcode) throw invalid("item.barcode is empty");
    const record = recordOf(r);
    const problem = itemRecordProblem(record);
    if (problem) throw invalid(problem);
    // A location code without its institution is one of the owner's.
    const at = (location: string, institution: string): Location => ({ institution: institution || record.owner, location });
    return {
      type: "ImportItem",
      item: { institution: r.item.institutionId, barcode: r.item.barcode },
      record,
      currentLocation: r.currentLocation ? at(r.currentLocation, r.currentInstitutionId) : null,
      state: importedState(r, at),
    };
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw new InvalidArgumentError(err.problems.map((p) => `${where}: ${p}`));
    throw err;
  }
}

/** What importing one record did. */
interface Applied {
  readonly refused: string | undefined;
  readonly created: boolean;
  readonly appended: number;
}

/** Records written per transaction and statement; a chunk a concurrent writer got in the way of is redone one by one. */
const CHUNK = 100;

/**
 * Creates or replaces items by barcode, idempotent: importing the same records
 * again appends nothing. Every record is checked before any is applied.
 * `created` counts new barcodes, `updated` known ones that changed (record or
 * state); unchanged ones count in neither. A state in the record is not
 * applied to an item that circulated since its import.
 *
 * Records go in chunks, one transaction and a few statements each (see
 * `importChunk`): per-record transactions made an import cost a dozen
 * statements an item. A chunk naming a barcode twice, or meeting a concurrent
 * writer (a loan event, a 19), is applied one record at a time instead.
 */
export async function upsertItems(
  db: Kysely<ItemDatabase>,
  records: readonly itemPb.ItemRecord[],
): Promise<{ created: number; updated: number; appended: number }> {
  const commands = records.map(toImportItem);
  const correlationId = uuidv7();
  const metadata = (command: ImportItem): EventMetadata => ({ institution: command.item.institution, correlationId, causationId: IMPORT_CAUSATION });
  const counts = { created: 0, updated: 0, appended: 0 };
  const refusals: string[] = [];
  for (let i = 0; i < commands.length; i += CHUNK) {
    const chunk = commands.slice(i, i + CHUNK);
    const applied = (await importChunk(db, chunk, metadata)) ?? (await importOneByOne(db, chunk, metadata));
    applied.forEach((result, k) => {
      const command = chunk[k]!;
      if (result.refused) refusals.push(`${command.item.institution}/${command.item.barcode}: ${result.refused}`);
      else if (result.created) counts.created++;
      else if (result.appended > 0) counts.updated++;
      counts.appended += result.appended;
    });
  }
  if (refusals.length > 0) throw new ImportRefusedError(`not imported: ${refusals.join("; ")}`);
  return counts;
}

const refusal = (decision: { reason: string; detail?: string }) => `${decision.reason}${decision.detail ? ` (${decision.detail})` : ""}`;

/**
 * One transaction for the chunk: its streams read in one query, each record
 * decided as on its own, the events appended in one statement, the rows
 * written in one. Null when it must be redone one by one.
 */
async function importChunk(db: Kysely<ItemDatabase>, chunk: readonly ImportItem[], metadata: (c: ImportItem) => EventMetadata): Promise<Applied[] | null> {
  const streamIds = chunk.map((c) => itemStreamId(c.item));
  if (new Set(streamIds).size !== streamIds.length) return null;
  try {
    return await db.transaction().execute(async (trx) => {
      const streams = await readStreams<RecordedEvent, ItemDatabase>(trx, streamIds);
      const decided = chunk.map((command, k) => {
        const loaded = foldForImport(streamIds[k]!, streams.get(streamIds[k]!) ?? []);
        return { command, loaded, decision: decideImportItem(command, loaded.stored.item, loaded.history) };
      });
      const writes = decided.flatMap(({ command, loaded, decision }) => {
        if (decision.outcome === "refused" || decision.events.length === 0) return [];
        const itemId = loaded.stored.itemId ?? uuidv7();
        return [{ loaded, append: { streamId: loaded.streamId, expectedVersion: loaded.version, events: storedItemEvents(decision.events, loaded.stored, itemId), metadata: metadata(command) } }];
      });
      const recorded = await appendToStreams<ItemDatabase, Event>(trx, writes.map((w) => w.append));
      await writeItemRows(trx, writes.flatMap((w, k) => projectedRow(w.loaded, recorded[k]!) ?? []));
      const appendedTo = new Map(writes.map((w, k) => [w.loaded.streamId, recorded[k]!.length]));
      return decided.map(({ loaded, decision }): Applied =>
        decision.outcome === "refused"
          ? { refused: refusal(decision), created: false, appended: 0 }
          : { refused: undefined, created: decision.data.created, appended: appendedTo.get(loaded.streamId) ?? 0 },
      );
    });
  } catch (err) {
    if (err instanceof ConcurrencyError) return null;
    throw err;
  }
}

/** One transaction per record, each decided again on a concurrent writer's result. */
async function importOneByOne(db: Kysely<ItemDatabase>, chunk: readonly ImportItem[], metadata: (c: ImportItem) => EventMetadata): Promise<Applied[]> {
  const applied: Applied[] = [];
  for (const command of chunk) {
    const streamId = itemStreamId(command.item);
    for (let attempt = 1; ; attempt++) {
      try {
        applied.push(
          await db.transaction().execute(async (trx): Promise<Applied> => {
            const loaded = await loadForImport(trx, streamId);
            const decision = decideImportItem(command, loaded.stored.item, loaded.history);
            if (decision.outcome === "refused") return { refused: refusal(decision), created: false, appended: 0 };
            const itemId = loaded.stored.itemId ?? uuidv7();
            const recorded = await appendItemEvents(trx, loaded, decision.events, { itemId, metadata: metadata(command) });
            return { refused: undefined, created: decision.data.created, appended: recorded.length };
          }),
        );
        break;
      } catch (err) {
        // Another writer moved the stream meanwhile: decide again on the new state.
        if (!(err instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }
  return applied;
}
