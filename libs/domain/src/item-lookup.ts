/**
 * Which item a scanned barcode names, among the items of that barcode in every
 * institution. Consortium members share kiosks' traffic: a MAIN kiosk may scan
 * an EAST item (a return elsewhere), so when the named institution has no such
 * barcode, a barcode that exactly one other institution has is that item. Two
 * or more: ambiguous, not found. `ownOnly` (a terminal limited to its own
 * institution) accepts the exact match only. Every service that resolves a
 * barcode (the item service, and its peers from their copies of its facts) uses
 * this one rule.
 */
export function pickItem<T extends { readonly institutionId: string }>(
  candidates: readonly T[],
  institutionId: string,
  ownOnly = false,
): T | undefined {
  const own = candidates.find((c) => c.institutionId === institutionId);
  if (own || ownOnly) return own;
  return candidates.length === 1 ? candidates[0] : undefined;
}
