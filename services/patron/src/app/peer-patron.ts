import type { common } from "@circulate/contracts";
import type { PatronTrx } from "../adapters/db.js";
import { patronIdByCard } from "../adapters/peer-projections.repository.js";

/**
 * Patrons are keyed by this service's patron id, which peers' events carry
 * (they have it from VerifyPatron or GetPatron); an event with only the card
 * is matched on the card's exact institution and barcode. "" = not a patron
 * known here: nobody's usage.
 */
export async function patronIdOf(trx: PatronTrx, patronId: string, card: common.PatronRef | undefined): Promise<string> {
  if (patronId) return patronId;
  if (!card?.barcode) return "";
  return (await patronIdByCard(trx, card)) ?? "";
}
