/** 63 Patron Information → 64: standing, six counts, limits, contact data and the one list asked for. */
import { commands } from "@circulate/contracts";
import type { Summary } from "@circulate/sip2";
import { FEE_TYPE_NAMES, languageOf } from "./codes.js";
import { bzCarriesFees, contactFields, mayShowPersonalData, patronInformationExtensions } from "./extensions.js";
import { blank, decimal, INVALID_REQUEST, itemIndex, patronRef, pinOf } from "./fields.js";
import { standingFields } from "./patron.js";
import type { MessageRoute } from "./types.js";

const S = commands.PatronInformationSummary;
type ListField = "holdItems" | "overdueItems" | "chargedItems" | "fineItems" | "recallItems" | "unavailableHoldItems";

/**
 * The summary's first Y (SIP2 allows one; Koha also takes the first), in position order,
 * with the list field that carries it. Position 6 (FOLIO "extended fees") is answered in AV.
 */
const SUMMARY_ORDER: readonly [keyof Summary, commands.PatronInformationSummary, ListField][] = [
  ["holdItems", S.HOLD_ITEMS, "holdItems"],
  ["overdueItems", S.OVERDUE_ITEMS, "overdueItems"],
  ["chargedItems", S.CHARGED_ITEMS, "chargedItems"],
  ["fineItems", S.FINE_ITEMS, "fineItems"],
  ["recallItems", S.RECALL_ITEMS, "recallItems"],
  ["unavailableHolds", S.UNAVAILABLE_HOLDS, "unavailableHoldItems"],
  ["extendedFees", S.FEES, "fineItems"],
];

function selectedList(summary: Summary): { kind: commands.PatronInformationSummary; field: ListField } | undefined {
  const hit = SUMMARY_ORDER.find(([flag]) => summary[flag]);
  return hit === undefined ? undefined : { kind: hit[1], field: hit[2] };
}

/**
 * One list entry as a kiosk line. Items by barcode (Koha's default; title-level holds by
 * title); fines as `<fee id> <amount> "<fee type>" <description>`, the layout FSIP2
 * documents, so a kiosk can pay one fee by its id (37 CG).
 */
export function entryLine(entry: commands.PatronListEntry, kind: commands.PatronInformationSummary): string {
  if (kind === S.FINE_ITEMS || kind === S.FEES) {
    const amount = decimal(entry.amount) ?? "";
    const what = entry.description || entry.title;
    return `${entry.feeId} ${amount} "${FEE_TYPE_NAMES[entry.feeType]}" ${what}`.trim();
  }
  return entry.item?.barcode || entry.title || entry.titleId;
}

/** At most BQ−BP+1 entries, in case a service sends more than the range asked for. */
function rangeCap(req: { startItem?: string; endItem?: string }): number {
  const start = Math.max(1, itemIndex(req.startItem));
  const end = itemIndex(req.endItem);
  return end === 0 ? Number.POSITIVE_INFINITY : Math.max(0, end - start + 1);
}

export const patronInformationRoute: MessageRoute<"63"> = {
  permission: "patron",
  command: (req, ctx) => {
    if (blank(req.patronIdentifier)) return INVALID_REQUEST;
    return {
      $case: "getPatronInformation",
      value: commands.GetPatronInformation.create({
        patron: patronRef(req.patronIdentifier, ctx),
        pin: pinOf(req.patronPassword),
        language: languageOf(req.language),
        summary: selectedList(req.summary)?.kind ?? S.UNSPECIFIED,
        startItem: itemIndex(req.startItem),
        endItem: itemIndex(req.endItem),
      }),
    };
  },
  accepted: (req, payload, ctx) => {
    if (payload.$case !== "getPatronInformation") return undefined;
    const info = payload.value;
    const head = standingFields(req, info.standing, undefined, ctx);
    const list = selectedList(req.summary);
    const listed = list === undefined ? [] : info.entries.slice(0, rangeCap(req));
    const lines = list === undefined ? [] : listed.map((e) => entryLine(e, list.kind));
    const fees = list?.kind === S.FINE_ITEMS || list?.kind === S.FEES ? listed : [];
    return {
      code: "64",
      ...head,
      holdItemsCount: info.holdItemsCount,
      overdueItemsCount: info.overdueItemsCount,
      chargedItemsCount: info.chargedItemsCount,
      fineItemsCount: info.fineItemsCount,
      recallItemsCount: info.recallItemsCount,
      unavailableHoldsCount: info.unavailableHoldsCount,
      ...(info.holdItemsLimit === undefined || bzCarriesFees(ctx) ? {} : { holdItemsLimit: info.holdItemsLimit }),
      ...(info.overdueItemsLimit === undefined ? {} : { overdueItemsLimit: info.overdueItemsLimit }),
      ...(info.chargedItemsLimit === undefined ? {} : { chargedItemsLimit: info.chargedItemsLimit }),
      ...(decimal(info.feeLimit) === undefined ? {} : { feeLimit: decimal(info.feeLimit) }),
      ...(list === undefined || lines.length === 0 ? {} : { [list.field]: lines }),
      // The profile hides what it hides afterwards (see shaped); a wrong PIN shows none of it.
      ...(mayShowPersonalData(info.standing) ? contactFields(info) : {}),
      ...patronInformationExtensions(info, fees, ctx),
    };
  },
  refused: (req, failure, ctx) => {
    const head = standingFields(req, failure.refused?.patron, failure, ctx);
    // An unknown patron has nothing (0000, as Koha/Evergreen send); counts nobody computed are blanks.
    const c = failure.reason === commands.RefusalReason.PATRON_NOT_FOUND ? 0 : null;
    return {
      code: "64",
      ...head,
      holdItemsCount: c,
      overdueItemsCount: c,
      chargedItemsCount: c,
      fineItemsCount: c,
      recallItemsCount: c,
      unavailableHoldsCount: c,
    };
  },
};
