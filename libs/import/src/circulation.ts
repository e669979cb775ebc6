import { common, type fee, hold, type loan } from "@circulate/contracts";
import type { ProblemSink } from "./problems.js";
import { type Indexed, RecordReader } from "./fields.js";
import type { Scope } from "./reference.js";

/**
 * Loans, holds and charges name patrons and items by barcode. The institution
 * of a barcode may be left out when the input's patrons or items have exactly
 * one record with it; otherwise (or for records already in the services) it
 * must be given.
 */
export interface Barcodes {
  readonly patrons: ReadonlyMap<string, readonly string[]>;
  readonly items: ReadonlyMap<string, readonly string[]>;
}

export function barcodesOf(patrons: readonly { institutionId: string; barcode: string }[], items: readonly { institutionId: string; barcode: string }[]): Barcodes {
  const index = (refs: readonly { institutionId: string; barcode: string }[]) => {
    const m = new Map<string, string[]>();
    for (const ref of refs) m.set(ref.barcode, [...(m.get(ref.barcode) ?? []), ref.institutionId]);
    return m;
  };
  return { patrons: index(patrons), items: index(items) };
}

/** The fields of loans, holds and charges that name a patron or an item by barcode. */
const REFERENCES = [
  ["patron", "patron"],
  ["item", "item"],
  ["item", "trappedItem"],
] as const;

/**
 * Collects the institutions of only those barcodes that loans, holds or
 * charges name without their institution: a few, where indexing every
 * patron's and item's barcode would grow with the input.
 */
export class BarcodeIndex {
  readonly #wanted = { patron: new Set<string>(), item: new Set<string>() };
  readonly #found = { patron: new Map<string, string[]>(), item: new Map<string, string[]>() };

  constructor(sections: readonly (readonly Indexed[])[]) {
    for (const records of sections)
      for (const { record } of records)
        for (const [kind, field] of REFERENCES) {
          const barcode = record[field];
          const institution = record[`${field}Institution`];
          if (typeof barcode === "string" && !(typeof institution === "string" && institution.trim() !== "")) this.#wanted[kind].add(barcode.trim());
        }
  }

  note(kind: "patron" | "item", institutionId: string, barcode: string): void {
    if (!this.#wanted[kind].has(barcode)) return;
    const m = this.#found[kind];
    m.set(barcode, [...(m.get(barcode) ?? []), institutionId]);
  }

  get barcodes(): Barcodes {
    return { patrons: this.#found.patron, items: this.#found.item };
  }
}

function ref(r: RecordReader, kind: "patron" | "item", barcodes: Barcodes, field: string, required: boolean) {
  const barcode = r.string(field, required);
  const given = r.string(`${field}Institution`);
  if (barcode === "") return undefined;
  if (given) return { institutionId: given, barcode };
  const known = (kind === "patron" ? barcodes.patrons : barcodes.items).get(barcode) ?? [];
  if (known.length === 1) return { institutionId: known[0]!, barcode };
  r.problem(
    known.length === 0
      ? `${kind} ${barcode} is not in the input: give ${field}Institution`
      : `${kind} ${barcode} is in the input under ${known.join(" and ")}: give ${field}Institution`,
  );
  return undefined;
}

const LOAN_FIELDS = ["item", "itemInstitution", "patron", "patronInstitution", "checkedOut", "due", "renewals"] as const;

export function readLoans(records: readonly Indexed[], scope: Scope, barcodes: Barcodes, problems: ProblemSink): loan.LoanRecord[] {
  const seen = new Set<string>();
  return records.map(({ index, record }) => {
    const r = new RecordReader(`loans[${index}] (${String(record.item ?? "")})`, record, problems, LOAN_FIELDS);
    const item = ref(r, "item", barcodes, "item", true);
    const patron = ref(r, "patron", barcodes, "patron", true);
    const key = item ? `${item.institutionId}/${item.barcode}` : "";
    if (key && seen.has(key)) r.problem(`item ${key} is lent twice in the input`);
    seen.add(key);
    // Loan dates are the item's institution's local dates, as the loan service computes them.
    const zone = item ? scope.zoneOf(item.institutionId, r) : "";
    const today = zone ? scope.today(zone) : "";
    const checkedOutAt = r.instant("checkedOut", zone, today, "start", true);
    const dueAt = r.instant("due", zone, today, "end", true);
    if (checkedOutAt && dueAt && dueAt <= checkedOutAt) r.problem("due must be after checkedOut");
    return { item, patron, checkedOutAt, dueAt, renewalCount: r.count("renewals", 1000) ?? 0 };
  });
}

const HOLD_FIELDS = [
  "id",
  "patron",
  "patronInstitution",
  "type",
  "item",
  "itemInstitution",
  "titleId",
  "pickup",
  "placed",
  "expires",
  "status",
  "trappedItem",
  "trappedItemInstitution",
  "pickupBy",
] as const;

const TRAPPED = new Set<hold.HoldStatus>([hold.HoldStatus.IN_TRANSIT, hold.HoldStatus.AVAILABLE]);

export function readHolds(records: readonly Indexed[], scope: Scope, barcodes: Barcodes, problems: ProblemSink): hold.HoldRecord[] {
  const seen = new Set<string>();
  return records.map(({ index, record }) => {
    const r = new RecordReader(`holds[${index}] (${String(record.id ?? "")})`, record, problems, HOLD_FIELDS);
    const externalId = r.string("id", true);
    if (externalId && seen.has(externalId)) r.problem(`hold id ${externalId} appears twice`);
    seen.add(externalId);
    const patron = ref(r, "patron", barcodes, "patron", true);
    const item = ref(r, "item", barcodes, "item", false);
    const titleId = r.string("titleId");
    if (!item && titleId === "") r.problem("give item or titleId");
    const holdType = r.enumValue("type", common.HoldType) ?? (item ? common.HoldType.SPECIFIC_COPY : common.HoldType.ANY_COPY);
    if (holdType === common.HoldType.SPECIFIC_COPY && !item) r.problem("a specific_copy hold needs item");
    const status = r.enumValue("status", hold.HoldStatus) ?? hold.HoldStatus.WAITING;
    if (!TRAPPED.has(status) && status !== hold.HoldStatus.WAITING) r.problem("status must be waiting, in_transit or available");
    let trappedItem = ref(r, "item", barcodes, "trappedItem", false);
    // A copy-specific hold can only be trapped with its own copy: no need to name it twice.
    if (!trappedItem && TRAPPED.has(status) && holdType === common.HoldType.SPECIFIC_COPY) trappedItem = item;
    if (!trappedItem && TRAPPED.has(status)) r.problem(`status ${r.string("status")} needs trappedItem`);
    if (trappedItem && !TRAPPED.has(status)) r.problem("trappedItem is only for status in_transit or available");
    const institution = (item ?? trappedItem ?? patron)?.institutionId ?? "";
    const zone = institution ? scope.zoneOf(institution, r) : "";
    const today = zone ? scope.today(zone) : "";
    const pickupBy = r.instant("pickupBy", zone, today, "end");
    if (pickupBy && status !== hold.HoldStatus.AVAILABLE) r.problem("pickupBy is only for status available");
    return {
      patron,
      holdType,
      item,
      titleId,
      pickupLocation: r.string("pickup", true),
      placedAt: r.instant("placed", zone, today, "start"),
      expiresAt: r.instant("expires", zone, today, "end"),
      externalId,
      status,
      trappedItem: TRAPPED.has(status) ? trappedItem : undefined,
      pickupBy,
    };
  });
}

const CHARGE_FIELDS = ["id", "patron", "patronInstitution", "type", "amount", "currency", "description", "item", "itemInstitution", "title", "charged"] as const;

export function readCharges(records: readonly Indexed[], scope: Scope, barcodes: Barcodes, problems: ProblemSink): fee.ChargeRecord[] {
  const seen = new Set<string>();
  return records.map(({ index, record }) => {
    const r = new RecordReader(`charges[${index}] (${String(record.id ?? "")})`, record, problems, CHARGE_FIELDS);
    const externalId = r.string("id", true);
    const patron = ref(r, "patron", barcodes, "patron", true);
    const key = `${patron?.institutionId ?? ""}/${externalId}`;
    if (externalId && seen.has(key)) r.problem(`charge id ${externalId} appears twice for ${patron?.institutionId ?? "the institution"}`);
    seen.add(key);
    const institution = patron?.institutionId ?? "";
    const zone = institution ? scope.zoneOf(institution, r) : "";
    const currency = (r.string("currency") || scope.currencyOf(institution)).toUpperCase();
    if (!r.has("amount")) r.problem("amount is required");
    const outstanding = r.money("amount", currency);
    if (outstanding && outstanding.amountMinor <= 0) r.problem("amount must be more than zero");
    const feeType = r.enumValue("type", common.FeeType);
    const title = r.string("title");
    if (!feeType && !r.has("type")) r.problem(`type is required (${Object.keys(common.FeeType).filter((k) => !["UNSPECIFIED", "UNRECOGNIZED"].includes(k)).map((k) => k.toLowerCase()).join(", ")})`);
    return {
      patron,
      feeType: feeType ?? common.FeeType.UNSPECIFIED,
      outstanding,
      description: r.string("description"),
      item: ref(r, "item", barcodes, "item", false),
      ...(title === "" ? {} : { title }),
      chargedAt: r.instant("charged", zone, zone ? scope.today(zone) : "", "start"),
      externalId,
    };
  });
}
