import { type common, item as itempb } from "@circulate/contracts";
import { ProjectionBehindError } from "@circulate/service";
import { type ItemRow, isOnLoan, itemsByRef, refKey, titleExists } from "../adapters/peer-facts.repository.js";
import type { HoldDeps } from "./command.support.js";

/**
 * What the hold service knows of copies, from its own tables fed by the item
 * and loan services' events, read after the read-your-writes barrier: a kiosk
 * that was just told about a copy (registered, withdrawn, lent) is answered
 * with that. A projection still behind answers for a copy it knows, as the
 * cache of the item service's answers once did; a copy it does not know may
 * only be missing for now, so that is the peer's absence (ProjectionBehindError).
 */

/** What the hold service needs to know about a copy: its title (the queue), home branch (type-4 holds), lendability. */
export interface KnownItem {
  readonly institution: string;
  readonly barcode: string;
  readonly itemId: string;
  readonly titleId: string;
  readonly title: string;
  readonly homeLocation: string | null;
  readonly circulating: boolean;
  readonly state: itempb.ItemState;
}

type Deps = Pick<HoldDeps, "db" | "projections" | "logger">;

/**
 * An item without a bibliographic record id is its own one-copy title, so
 * holds on it still get a queue (and never share one with another copy).
 */
function titleIdOf(item: Pick<itempb.Item, "titleId" | "itemId">, barcode: string): string {
  return item.titleId || `item:${item.itemId || barcode}`;
}

/** The row an item event's `current` (the copy after the event) makes, at its position in the copy's stream. */
export function itemRowOf(current: itempb.Item, streamPosition: number): Omit<ItemRow, "updated_at"> | undefined {
  const ref = current.item;
  if (!current.itemId || !ref?.barcode) return undefined;
  return {
    item_id: current.itemId,
    institution_id: ref.institutionId,
    barcode: ref.barcode,
    title_id: titleIdOf(current, ref.barcode),
    title: current.title,
    home_location: current.permanentLocation || null,
    circulating: current.circulating,
    state: current.state,
    stream_position: streamPosition,
  };
}

function knownFrom(row: ItemRow): KnownItem {
  return {
    institution: row.institution_id,
    barcode: row.barcode,
    itemId: row.item_id,
    titleId: row.title_id,
    title: row.title,
    homeLocation: row.home_location,
    circulating: row.circulating,
    state: itempb.itemStateFromJSON(row.state),
  };
}

/** The barrier on the given peer's events, waiting until `deadline` at most; `undefined` once caught up, else why not. */
async function barrier(deps: Deps, from: "item" | "loan", deadline: Date): Promise<ProjectionBehindError | undefined> {
  try {
    await deps.projections.caughtUp([from], deadline);
    return undefined;
  } catch (err) {
    if (err instanceof ProjectionBehindError) return err;
    throw err;
  }
}

/** Copies by ref (`refKey` of each ref asked); a consortium member's copy keeps its owner's institution. */
export async function resolveItems(deps: Deps, refs: readonly common.ItemRef[], deadline: Date): Promise<Map<string, KnownItem>> {
  const behind = await barrier(deps, "item", deadline);
  const rows = await itemsByRef(deps.db, refs);
  if (behind) {
    if (rows.size < new Set(refs.map(refKey)).size) throw behind;
    deps.logger.warn({ err: behind }, "item facts behind the item service; answering with the copies already known");
  }
  return new Map([...rows].map(([k, row]) => [k, knownFrom(row)]));
}

/** One copy; `undefined` when the item service's events never named it. */
export async function resolveItem(deps: Deps, ref: common.ItemRef, deadline: Date): Promise<KnownItem | undefined> {
  return (await resolveItems(deps, [ref], deadline)).get(refKey(ref));
}

/** A title some copy belongs to (or some hold is on): title-only holds need one. */
export async function isKnownTitle(deps: Deps, titleId: string, deadline: Date): Promise<boolean> {
  const behind = await barrier(deps, "item", deadline);
  const known = await titleExists(deps.db, titleId);
  if (!known && behind) throw behind;
  return known;
}

/** Whether the copy is on loan; "unknown" while the loan service's events are not caught up (the reply then says less). */
export async function copyOnLoan(deps: Deps, item: Pick<common.ItemRef, "institutionId" | "barcode">, deadline: Date): Promise<boolean | "unknown"> {
  const behind = await barrier(deps, "loan", deadline);
  if (behind) {
    deps.logger.warn({ err: behind }, "loan of the copy unknown: loan facts behind the loan service");
    return "unknown";
  }
  return isOnLoan(deps.db, item);
}
