import type { common, item } from "@circulate/contracts";
import type { Kysely } from "kysely";
import type { HoldDb } from "../adapters/db.js";
import type { Peers } from "../adapters/peers.js";

/** What the hold service needs to know about a copy: its title (the queue) and home branch (type-4 holds). */
export interface KnownItem {
  readonly institution: string;
  readonly barcode: string;
  readonly itemId: string;
  readonly titleId: string;
  readonly title: string;
  readonly homeLocation: string | null;
}

/**
 * An item without a bibliographic record id is its own one-copy title, so
 * holds on it still get a queue (and never share one with another copy).
 */
export function titleIdOf(found: item.Item, ref: common.ItemRef): string {
  return found.titleId || `item:${found.itemId || ref.barcode}`;
}

/** The item as the item service resolved it: a consortium member's copy keeps its owner's institution. */
export function knownFrom(found: item.Item, ref: common.ItemRef): KnownItem {
  return {
    institution: found.item?.institutionId || ref.institutionId,
    barcode: found.item?.barcode || ref.barcode,
    itemId: found.itemId,
    titleId: titleIdOf(found, ref),
    title: found.title,
    homeLocation: found.permanentLocation || null,
  };
}

export async function knownItem(db: Kysely<HoldDb>, ref: common.ItemRef): Promise<KnownItem | undefined> {
  const row = await db
    .selectFrom("known_items")
    .selectAll()
    .where("institution_id", "=", ref.institutionId)
    .where("barcode", "=", ref.barcode)
    .executeTakeFirst();
  return (
    row && {
      institution: row.institution_id,
      barcode: row.barcode,
      itemId: row.item_id,
      titleId: row.title_id,
      title: row.title,
      homeLocation: row.home_location,
    }
  );
}

/** Upserts what was learned; fields not known this time (empty) keep their earlier value. */
export async function rememberItem(db: Kysely<HoldDb>, k: KnownItem): Promise<void> {
  await db
    .insertInto("known_items")
    .values({
      institution_id: k.institution,
      barcode: k.barcode,
      item_id: k.itemId,
      title_id: k.titleId,
      title: k.title,
      home_location: k.homeLocation,
    })
    .onConflict((oc) =>
      oc.columns(["institution_id", "barcode"]).doUpdateSet((eb) => ({
        item_id: k.itemId || eb.ref("known_items.item_id"),
        title_id: k.titleId,
        title: k.title || eb.ref("known_items.title"),
        home_location: k.homeLocation ?? eb.ref("known_items.home_location"),
        updated_at: new Date(),
      })),
    )
    .execute();
}

/** The copy's title: from what the service already knows, else from the item service (then remembered). */
export async function resolveItem(
  db: Kysely<HoldDb>,
  peers: Peers,
  ref: common.ItemRef,
  budgetMs: number,
): Promise<KnownItem | undefined> {
  const known = await knownItem(db, ref);
  if (known) return known;
  const found = await peers.getItem(ref, budgetMs);
  if (!found) return undefined;
  const k = knownFrom(found, ref);
  await rememberItem(db, k);
  return k;
}

/** A title id the service has met before (through a copy or a hold); title-only holds need one. */
export async function isKnownTitle(db: Kysely<HoldDb>, titleId: string): Promise<boolean> {
  const [item, hold] = await Promise.all([
    db.selectFrom("known_items").select("title_id").where("title_id", "=", titleId).limit(1).executeTakeFirst(),
    db.selectFrom("holds").select("title_id").where("title_id", "=", titleId).limit(1).executeTakeFirst(),
  ]);
  return item !== undefined || hold !== undefined;
}
