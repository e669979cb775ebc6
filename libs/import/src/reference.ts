import type { fee, loan, patron } from "@circulate/contracts";
import type { ProblemSink } from "./problems.js";
import { isTimeZone, type LocalDate, localDateOf } from "./dates.js";
import { type Indexed, RecordReader } from "./fields.js";

/** What every record's dates and amounts are read against. */
export interface Scope {
  /** The institution's zone, or the default zone; "" (with a problem recorded) when neither is known. */
  zoneOf(institution: string, reader: RecordReader): string;
  /** The institution's currency; "" when unknown. */
  currencyOf(institution: string): string;
  /** The local date of loading in `zone`. */
  today(zone: string): LocalDate;
}

export interface InstitutionInput {
  readonly id: string;
  readonly timeZone: string;
  readonly currency: string;
}

/** A scope over the document's institutions; others use `defaultTimeZone` when given. */
export function scopeOf(institutions: readonly InstitutionInput[], now: Date, defaultTimeZone: string | undefined): Scope {
  const byId = new Map(institutions.map((i) => [i.id, i]));
  return {
    zoneOf(institution, reader) {
      const zone = byId.get(institution)?.timeZone || defaultTimeZone || "";
      if (zone === "") reader.problem(`institution ${JSON.stringify(institution)} is not in the document: its time zone is unknown (pass --time-zone)`);
      return zone;
    },
    currencyOf: (institution) => byId.get(institution)?.currency ?? "",
    today: (zone) => localDateOf(now, zone),
  };
}

const INSTITUTION_FIELDS = ["id", "name", "timeZone", "currency", "consortium", "maxWrongPins", "pinLockMinutes"] as const;

/** A year: a longer lock is "never" in all but name, and `null` says that. */
const MAX_PIN_LOCK_MINUTES = 525_600;

export interface Institutions {
  readonly inputs: InstitutionInput[];
  readonly patron: patron.Institution[];
  readonly loan: loan.Institution[];
  /** Closed days are filled in from the calendars section. */
  readonly fee: fee.Institution[];
}

export function readInstitutions(records: readonly Indexed[], problems: ProblemSink): Institutions {
  const out: Institutions = { inputs: [], patron: [], loan: [], fee: [] };
  const seen = new Set<string>();
  for (const { index, record } of records) {
    const r = new RecordReader(`institutions[${index}]`, record, problems, INSTITUTION_FIELDS);
    const id = r.string("id", true);
    const name = r.string("name") || id;
    const timeZone = r.string("timeZone", true);
    const currency = r.string("currency", true).toUpperCase();
    const consortiumId = r.string("consortium");
    const maxWrongPins = r.count("maxWrongPins", 1000);
    // null = the lock lasts until staff lift it, the same as leaving it out.
    const pinLockMinutes = record.pinLockMinutes === null ? undefined : r.count("pinLockMinutes", MAX_PIN_LOCK_MINUTES);
    if (pinLockMinutes === 0) r.problem("pinLockMinutes must be at least 1 (null or absent: until staff lift the lock)");
    if (timeZone && !isTimeZone(timeZone)) r.problem(`timeZone ${JSON.stringify(timeZone)} is not an IANA time zone`);
    if (currency && !/^[A-Z]{3}$/.test(currency)) r.problem(`currency ${JSON.stringify(currency)} is not an ISO 4217 code`);
    if (id && seen.has(id)) r.problem(`institution ${id} appears twice`);
    seen.add(id);
    out.inputs.push({ id, timeZone, currency });
    out.patron.push({ institutionId: id, name, timeZone, currency, consortiumId, maxWrongPins, pinLockMinutes });
    out.loan.push({ institutionId: id, name, timeZone, currency });
    out.fee.push({ institutionId: id, name, timeZone, currency, closedWeekdays: [], closedDates: [] });
  }
  return out;
}

const PATRON_TYPE_FIELDS = ["institution", "type", "description", "maxLoans", "maxOverdue", "maxHolds", "feeLimit"] as const;

export function readPatronTypes(records: readonly Indexed[], scope: Scope, problems: ProblemSink): patron.PatronType[] {
  const seen = new Set<string>();
  return records.map(({ index, record }) => {
    const r = new RecordReader(`patronTypes[${index}]`, record, problems, PATRON_TYPE_FIELDS);
    const institutionId = r.string("institution", true);
    const patronType = r.string("type", true);
    const key = `${institutionId}/${patronType}`;
    if (seen.has(key)) r.problem(`patron type ${key} appears twice`);
    seen.add(key);
    return {
      institutionId,
      patronType,
      description: r.string("description"),
      limits: {
        maxLoans: r.count("maxLoans"),
        maxOverdue: r.count("maxOverdue"),
        maxHolds: r.count("maxHolds"),
        feeLimit: r.money("feeLimit", scope.currencyOf(institutionId)),
      },
    };
  });
}

const LOAN_RULE_FIELDS = [
  "institution",
  "patronType",
  "itemType",
  "loanable",
  "loanPeriodDays",
  "loanPeriodHours",
  "maxRenewals",
  "holdsBlockRenewal",
  "finePerDay",
  "maxFine",
  "graceDays",
  "maxItems",
] as const;

const MINUTES_PER_DAY = 1440;

export function readLoanRules(records: readonly Indexed[], scope: Scope, problems: ProblemSink): loan.LoanRule[] {
  const seen = new Set<string>();
  return records.map(({ index, record }) => {
    const r = new RecordReader(`loanRules[${index}]`, record, problems, LOAN_RULE_FIELDS);
    const institutionId = r.string("institution", true);
    const patronType = r.string("patronType") || "*";
    const itemType = r.string("itemType") || "*";
    const key = `${institutionId}/${patronType}/${itemType}`;
    if (seen.has(key)) r.problem(`rule ${key} appears twice`);
    seen.add(key);
    const loanable = r.boolean("loanable") ?? true;
    const days = r.count("loanPeriodDays", 3650);
    const hours = r.count("loanPeriodHours", 24 * 365);
    if (loanable && (days === undefined) === (hours === undefined)) r.problem("give exactly one of loanPeriodDays and loanPeriodHours");
    const currency = scope.currencyOf(institutionId);
    return {
      institutionId,
      patronType,
      itemType,
      loanable,
      loanPeriodMinutes: loanable ? (days !== undefined ? days * MINUTES_PER_DAY : (hours ?? 0) * 60) : 0,
      maxRenewals: r.count("maxRenewals"),
      renewalPeriodMinutes: 0,
      holdsBlockRenewal: r.boolean("holdsBlockRenewal") ?? false,
      finePerDay: r.money("finePerDay", currency),
      maxFine: r.money("maxFine", currency),
      graceDays: r.count("graceDays", 365) ?? 0,
      checkoutFee: undefined,
      maxItems: r.count("maxItems"),
    };
  });
}

const CALENDAR_FIELDS = ["institution", "closedWeekdays", "closedDates"] as const;

/** Calendars for the loan service; their closed days also go to the fee service's institutions (no fines on closed days). */
export function readCalendars(records: readonly Indexed[], scope: Scope, feeInstitutions: fee.Institution[], problems: ProblemSink): loan.Calendar[] {
  const seen = new Set<string>();
  return records.map(({ index, record }) => {
    const r = new RecordReader(`calendars[${index}]`, record, problems, CALENDAR_FIELDS);
    const institutionId = r.string("institution", true);
    if (seen.has(institutionId)) r.problem(`calendar of ${institutionId} appears twice`);
    seen.add(institutionId);
    const zone = institutionId ? scope.zoneOf(institutionId, r) : "";
    const closedWeekdays = [...new Set(r.counts("closedWeekdays", 6))].sort();
    if (closedWeekdays.length === 7) r.problem("closedWeekdays: an institution closed every day has no due dates");
    const closedDates = [...new Set(zone ? r.localDates("closedDates", zone, scope.today(zone)) : [])].filter((d) => d !== "").sort();
    const feeInstitution = feeInstitutions.find((i) => i.institutionId === institutionId);
    if (feeInstitution) {
      feeInstitution.closedWeekdays = closedWeekdays;
      feeInstitution.closedDates = closedDates;
    }
    // The time zone comes from the institution; the loan service keeps due dates at 23:59:59 local.
    return { institutionId, location: "", timeZone: "", closedWeekdays, closedDates, closingTime: "" };
  });
}
