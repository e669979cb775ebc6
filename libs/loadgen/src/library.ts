/**
 * A generated library for load tests, in the import format of `circulate-import`
 * (docs/import.md): institutions MAIN and EAST, one patron type, loan rules,
 * patrons `L000001…` (PIN 1234) and available books `LI0000001…` at MAIN.
 * Pure and deterministic: the same sizes and seed give the same document, so a
 * library loaded once matches the barcodes every later run's kiosks use.
 */

/** Sizes and seed of a generated library. */
export interface LibraryOptions {
  readonly patrons: number;
  readonly items: number;
  /** Seed of the names and titles (barcodes do not depend on it). Default 1. */
  readonly seed?: number;
}

/** The institution every generated patron and item belongs to. */
export const LIBRARY_INSTITUTION = "MAIN";
/** Every generated patron's PIN. */
export const LIBRARY_PIN = "1234";

/** Barcode of the patron at 0-based `index`: L000001, L000002, … (wider past 999999). */
export function patronBarcode(index: number): string {
  return `L${String(index + 1).padStart(6, "0")}`;
}

/** Barcode of the item at 0-based `index`: LI0000001, … (wider past 9999999). */
export function itemBarcode(index: number): string {
  return `LI${String(index + 1).padStart(7, "0")}`;
}

/** An import document: sections of plain records, as `circulate-import` reads them. */
export type LibraryDocument = {
  readonly description: string;
  readonly institutions: readonly Record<string, unknown>[];
  readonly patronTypes: readonly Record<string, unknown>[];
  readonly loanRules: readonly Record<string, unknown>[];
  readonly patrons: readonly Record<string, unknown>[];
  readonly items: readonly Record<string, unknown>[];
};

const INSTITUTIONS = [
  { id: "MAIN", name: "Main Library", timeZone: "America/New_York", currency: "USD", consortium: "METRO" },
  { id: "EAST", name: "East Branch", timeZone: "America/New_York", currency: "USD", consortium: "METRO" },
] as const;

const FIRST = ["Ada", "Alan", "Grace", "Katherine", "Charles", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia", "Ken", "Margaret", "Tim", "Hedy", "Claude"];
const LAST = ["Lovelace", "Turing", "Hopper", "Johnson", "Babbage", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Perlman", "Thompson", "Hamilton", "Berners-Lee", "Lamarr", "Shannon"];
const ADJECTIVES = ["Silent", "Hidden", "Northern", "Last", "Golden", "Broken", "Distant", "Quiet", "Burning", "Winter", "Paper", "Glass"];
const NOUNS = ["River", "Garden", "Harbour", "Machine", "Library", "Orchard", "Lighthouse", "Archive", "Kingdom", "Compass", "Bridge", "Atlas"];

/** A small seeded PRNG (mulberry32): enough to vary names, and identical on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)]!;

function checkSize(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 10_000_000) throw new RangeError(`${name} must be a whole number from 0 to 10000000, got ${n}`);
}

/** Generates the library document. Throws RangeError on impossible sizes. */
export function generateLibrary(options: LibraryOptions): LibraryDocument {
  checkSize("patrons", options.patrons);
  checkSize("items", options.items);
  const seed = options.seed ?? 1;
  const next = random(seed);
  const patrons: Record<string, unknown>[] = [];
  for (let i = 0; i < options.patrons; i++) {
    const first = pick(next, FIRST);
    const last = pick(next, LAST);
    const barcode = patronBarcode(i);
    patrons.push({
      institution: LIBRARY_INSTITUTION,
      barcode,
      name: `${first} ${last}`,
      patronType: "adult",
      email: `${barcode.toLowerCase()}@patrons.example.org`,
      language: "english",
      // Relative, so a library written today still works when loaded next year.
      expires: "today+1095",
      pin: LIBRARY_PIN,
    });
  }
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < options.items; i++) {
    const author = pick(next, LAST);
    items.push({
      institution: LIBRARY_INSTITUTION,
      barcode: itemBarcode(i),
      title: `The ${pick(next, ADJECTIVES)} ${pick(next, NOUNS)}`,
      itemType: "book",
      mediaType: "book",
      location: "MAIN-STACKS",
      callNumber: `FIC ${author.slice(0, 3).toUpperCase()}`,
      collection: "FIC",
      state: "available",
      circulating: true,
    });
  }
  return {
    description: `Generated load-test library: ${options.patrons} patrons, ${options.items} items, seed ${seed} (circulate-loadgen)`,
    institutions: INSTITUTIONS.map((i) => ({ ...i })),
    // Generous limits: the load generator returns every item it borrows, but an interrupted
    // run leaves a few loans behind and later runs must not trip over them.
    patronTypes: INSTITUTIONS.map((i) => ({ institution: i.id, type: "adult", description: "Adult", maxLoans: 100, maxOverdue: 50, maxHolds: 20, feeLimit: "50.00" })),
    loanRules: INSTITUTIONS.map((i) => ({
      institution: i.id,
      patronType: "*",
      itemType: "book",
      loanPeriodDays: 14,
      maxRenewals: 2,
      finePerDay: "0.25",
      maxFine: "5.00",
      graceDays: 1,
    })),
    patrons,
    items,
  };
}

/**
 * The document as JSON text with one record per line: 100k items stay greppable and
 * diffable, and the text is far smaller than indented JSON.
 */
export function libraryJson(doc: LibraryDocument): string {
  const sections = Object.entries(doc).map(([key, value]) => {
    if (!Array.isArray(value)) return `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
    if (value.length === 0) return `  ${JSON.stringify(key)}: []`;
    return `  ${JSON.stringify(key)}: [\n    ${value.map((r) => JSON.stringify(r)).join(",\n    ")}\n  ]`;
  });
  return `{\n${sections.join(",\n")}\n}\n`;
}

/**
 * The share of patrons or items of kiosk `kiosk` (0-based) out of `kiosks`: every
 * index congruent to `kiosk` modulo `kiosks`, handed out round-robin. Shares are
 * disjoint, so concurrent kiosks never borrow the same item or serve the same patron.
 */
export class KioskShare {
  /** How many indexes the share holds. */
  readonly size: number;
  #next = 0;

  constructor(
    readonly kiosk: number,
    readonly kiosks: number,
    total: number,
  ) {
    if (!Number.isInteger(kiosks) || kiosks < 1 || !Number.isInteger(kiosk) || kiosk < 0 || kiosk >= kiosks) throw new RangeError(`kiosk ${kiosk} of ${kiosks}`);
    this.size = total > kiosk ? Math.ceil((total - kiosk) / kiosks) : 0;
  }

  /** The next index of the share, starting again at the first after the last. */
  next(): number {
    if (this.size === 0) throw new RangeError(`kiosk ${this.kiosk} of ${this.kiosks} has an empty share`);
    const index = this.kiosk + this.#next * this.kiosks;
    this.#next = (this.#next + 1) % this.size;
    return index;
  }
}
