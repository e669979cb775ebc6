import { common, item, type patron } from "@circulate/contracts";
import { ITEM_COLUMNS, PATRON_COLUMNS } from "./csv.js";
import { type Indexed, RecordReader } from "./fields.js";
import { KeySet } from "./keys.js";
import type { ProblemSink } from "./problems.js";
import type { Scope } from "./reference.js";

/** A patron record and, when the input says, whether the card is lost (a separate admin call). */
export interface PatronInput {
  readonly record: patron.PatronRecord;
  readonly cardLost: boolean | undefined;
}

/** Where a record came from, for problem messages: `patrons[2]` or `patrons.csv row 4`. */
export interface Sourced extends Indexed {
  /** The CSV file; absent for the JSON document's records. */
  readonly source?: string;
  /** The CSV line the row starts on, when a quoted line break put it elsewhere than its row number. */
  readonly line?: number;
}

/** Upsert keys seen so far: a key seen twice is a problem. */
export interface SeenKeys {
  /** False when `key` was added before. */
  add(key: string): boolean;
}

const label = (section: string, s: Sourced, key: string) => {
  const row = s.index + 2;
  const at = s.source ? `${s.source} row ${row}${s.line !== undefined && s.line !== row ? ` (line ${s.line})` : ""}` : `${section}[${s.index}]`;
  return `${at}${key === "/" ? "" : ` (${key})`}`;
};

const keyOf = (record: Record<string, unknown>) => `${String(record.institution ?? "")}/${String(record.barcode ?? "")}`;

export function readPatrons(records: readonly Sourced[], scope: Scope, problems: ProblemSink): PatronInput[] {
  const seen = new KeySet();
  return records.map((s) => readPatron(s, scope, seen, problems));
}

/** One patron record; its problems name it (`patrons[3] (MAIN/P0004)`, `patrons.csv row 5 (MAIN/P0004)`). */
export function readPatron(s: Sourced, scope: Scope, seen: SeenKeys, problems: ProblemSink): PatronInput {
  const key = keyOf(s.record);
  const r = new RecordReader(label("patrons", s, key), s.record, problems, PATRON_COLUMNS);
  const institutionId = r.string("institution", true);
  const barcode = r.string("barcode", true);
  if (!seen.add(key)) r.problem(`patron ${key} appears twice in the input`);
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
}

export function readItems(records: readonly Sourced[], problems: ProblemSink): item.ItemRecord[] {
  const seen = new KeySet();
  return records.map((s) => readItem(s, seen, problems));
}

/** One item record; its problems name it (`items[12] (MAIN/B000013)`, `items.csv row 14 (MAIN/B000013)`). */
export function readItem(s: Sourced, seen: SeenKeys, problems: ProblemSink): item.ItemRecord {
  const key = keyOf(s.record);
  const r = new RecordReader(label("items", s, key), s.record, problems, ITEM_COLUMNS);
  const institutionId = r.string("institution", true);
  const barcode = r.string("barcode", true);
  if (!seen.add(key)) r.problem(`item ${key} appears twice in the input`);
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
}
