import type { common } from "@circulate/contracts";

/** A patron's card barcode within its institution: the key of a fee account. */
export interface PatronKey {
  readonly institutionId: string;
  readonly barcode: string;
}

/** An item's barcode within the institution that owns it ("" = the patron's institution). */
export interface ItemKey {
  readonly institutionId: string;
  readonly barcode: string;
}

/**
 * The patron as events record it. Built field by field: a caller's ref may
 * carry more (e.g. `ownInstitutionOnly` from a kiosk), which events never held.
 */
export function patronRef(patron: PatronKey): common.PatronRef {
  return { institutionId: patron.institutionId, barcode: patron.barcode };
}

/** The item a charge is about, if any; an item named without institution is the patron's institution's. */
export function itemRef(item: ItemKey | null, patron: PatronKey): common.ItemRef | undefined {
  if (!item?.barcode) return undefined;
  return { institutionId: item.institutionId || patron.institutionId, barcode: item.barcode };
}
