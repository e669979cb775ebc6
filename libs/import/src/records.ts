import { common, item, type patron } from "@circulate/contracts";
import { ITEM_COLUMNS, PATRON_COLUMNS } from "./csv.js";
import { type Indexed, RecordReader } from "./fields.js";
import type { Scope } from "./reference.js";

/** A patron record and, when the input says, whether the card is lost (a separate admin call). */
export interface PatronInput {
  readonly record: patron.PatronRecord;
  readonly cardLost: boolean | undefined;
}

/** Where a record came from, for problem messages: `patrons[2]` or `patrons.csv row 4`. */
export interface Sourced extends Indexed {
  readonly source?: string;
}

const label = (section: string, s: Sourced, key: string) =>
  `${s.source ? `${s.source} row ${s.index + 2}` : `${section}[${s.index}]`}${key === "/" ? "" : ` (${key})`}`;

const keyOf = (record: Record<string, unknown>) => `${String(record.institution ?? "")}/${String(record.barcode ?? "")}`;

export function readPatrons(records: readonly Sourced[], scope: Scope, problems: string[]): PatronInput[] {
  const seen = new Set<string>();
  return records.map((s) => {
    const key = keyOf(s.record);
    const r = new RecordReader(label("patrons", s, key), s.record, problems, PATRON_COLUMNS);
    const institutionId = r.string("institution", true);
    const barcode = r.string("barcode", true);
    if (seen.has(key)) r.problem(`patron ${key} appears twice in the input`);
    seen.add(key);
    const homeInstitution = r.string("homeInstitution");
    const home = homeInstitution || institutionId;
    const zone = home ? scope.zoneOf(home, r) : "";
    const today = zone ? scope.today(zone) : "";
    const pin = r.optionalString("pin");
    return {
      record: {
        patron: { institutionId, barcode },
        name: r.string("name", true),
        patronType: r.string("patronType", true),
        homeLocation: homeInstitution,
        email: r.string("email"),
        phone: r.string("phone"),
        homeAddress: r.string("address"),
        language: r.enumValue("language", common.Language) ?? common.Language.UNSPECIFIED,
        // The card works until the end of its expiry day in the home institution's zone.
        expiresAt: r.instant("expires", zone, today, "end"),
        birthDate: zone ? r.localDate("birthDate", zone, today) : "",
        pin,
        blockReason: r.string("blockReason"),
        limits: undefined,
      },
      cardLost: r.boolean("cardLost"),
    };
  });
}

export function readItems(records: readonly Sourced[], problems: string[]): item.ItemRecord[] {
  const seen = new Set<string>();
  return records.map((s) => {
    const key = keyOf(s.record);
    const r = new RecordReader(label("items", s, key), s.record, problems, ITEM_COLUMNS);
    const institutionId = r.string("institution", true);
    const barcode = r.string("barcode", true);
    if (seen.has(key)) r.problem(`item ${key} appears twice in the input`);
    seen.add(key);
    const state = r.enumValue("state", item.ItemState) ?? item.ItemState.UNSPECIFIED;
    const inTransitTo = r.string("inTransitTo");
    if (state === item.ItemState.IN_TRANSIT && !inTransitTo) r.problem("state in_transit needs inTransitTo");
    return {
      item: { institutionId, barcode },
      title: r.string("title", true),
      titleId: r.string("titleId"),
      itemType: r.string("itemType", true),
      mediaType: r.enumValue("mediaType", common.MediaType) ?? common.MediaType.UNSPECIFIED,
      magneticMedia: r.boolean("magneticMedia"),
      securityMarker: r.enumValue("securityMarker", common.SecurityMarker) ?? common.SecurityMarker.UNSPECIFIED,
      permanentLocation: r.string("location"),
      callNumber: r.string("callNumber"),
      collectionCode: r.string("collection"),
      owner: r.string("owner") || institutionId,
      // Left out = keep what the service has: loans and holds move items, a re-run must not undo that.
      state,
      circulating: r.boolean("circulating") ?? true,
      currentLocation: r.string("currentLocation"),
      currentInstitutionId: r.string("currentInstitution"),
      inTransitTo,
      inTransitToInstitutionId: r.string("inTransitToInstitution"),
    };
  });
}
