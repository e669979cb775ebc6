/**
 * SIP2 2.00 code tables (sip2-reference.md §4). Each table maps a readable name to the
 * code sent on the wire. Model fields typed with {@link CodeOf} accept the listed codes
 * plus any other string, because parsing is lenient and kiosks send codes the spec does
 * not define.
 */

/** Values of a code table, plus any other string (autocompletes the known codes). */
export type CodeOf<T extends Record<string, string>> = T[keyof T] | (string & {});

/** Patron status (14 chars in 24/26/64): position of each flag; `Y` = true, space = false. */
export const PatronStatusPosition = {
  chargePrivilegesDenied: 0,
  renewalPrivilegesDenied: 1,
  recallPrivilegesDenied: 2,
  holdPrivilegesDenied: 3,
  cardReportedLost: 4,
  tooManyItemsCharged: 5,
  tooManyItemsOverdue: 6,
  tooManyRenewals: 7,
  tooManyClaimsOfItemsReturned: 8,
  tooManyItemsLost: 9,
  excessiveOutstandingFines: 10,
  excessiveOutstandingFees: 11,
  recallOverdue: 12,
  tooManyItemsBilled: 13,
} as const;
export type PatronStatusFlag = keyof typeof PatronStatusPosition;
/** The 14 patron status flags; every flag is present (false = space on the wire). */
export type PatronStatus = Record<PatronStatusFlag, boolean>;

/**
 * Summary (10 chars in 63): which detail list the SC wants in the 64. At most one `Y`.
 * Position 6 is a FOLIO extension ("extended fees"); positions 7–9 are undefined and sent as blanks.
 */
export const SummaryPosition = {
  holdItems: 0,
  overdueItems: 1,
  chargedItems: 2,
  fineItems: 3,
  recallItems: 4,
  unavailableHolds: 5,
  extendedFees: 6,
} as const;
export type SummaryCategory = keyof typeof SummaryPosition;
/** Summary flags of a 63; every category is present. */
export type Summary = Record<SummaryCategory, boolean>;

/** Supported messages (BX in 98): 16 positions, `Y`/`N`. */
export const SupportedMessagePosition = {
  patronStatusRequest: 0,
  checkout: 1,
  checkin: 2,
  blockPatron: 3,
  scAcsStatus: 4,
  requestScAcsResend: 5,
  login: 6,
  patronInformation: 7,
  endPatronSession: 8,
  feePaid: 9,
  itemInformation: 10,
  itemStatusUpdate: 11,
  patronEnable: 12,
  hold: 13,
  renew: 14,
  renewAll: 15,
} as const;
export type SupportedMessage = keyof typeof SupportedMessagePosition;
/** The 16 supported-message flags of BX; every message pair is present. */
export type SupportedMessages = Record<SupportedMessage, boolean>;

/** Circulation status (2 digits, fixed in 18). */
export const CirculationStatus = {
  other: "01",
  onOrder: "02",
  available: "03",
  charged: "04",
  chargedNotToBeRecalled: "05",
  inProcess: "06",
  recalled: "07",
  waitingOnHoldShelf: "08",
  waitingToBeReshelved: "09",
  inTransit: "10",
  claimedReturned: "11",
  lost: "12",
  missing: "13",
} as const;

/** Security marker (2 digits, fixed in 18). */
export const SecurityMarker = {
  other: "00",
  none: "01",
  tattleTape: "02",
  whisperTape: "03",
} as const;

/** Fee type (2 digits: fixed in 18/37, tagged BT in 12/30). Codes 10+ are undefined. */
export const FeeType = {
  other: "01",
  administrative: "02",
  damage: "03",
  overdue: "04",
  processing: "05",
  rental: "06",
  replacement: "07",
  computerAccessCharge: "08",
  holdFee: "09",
} as const;

/** Payment type (2 digits, fixed in 37). `05` check is an Evergreen extension. */
export const PaymentType = {
  cash: "00",
  visa: "01",
  creditCard: "02",
  check: "05",
} as const;

/** Media type (3 digits, CK). */
export const MediaType = {
  other: "000",
  book: "001",
  magazine: "002",
  boundJournal: "003",
  audioTape: "004",
  videoTape: "005",
  cdOrCdrom: "006",
  diskette: "007",
  bookWithDiskette: "008",
  bookWithCd: "009",
  bookWithAudioTape: "010",
} as const;

/** Hold mode (1 char, fixed in 15). */
export const HoldMode = {
  add: "+",
  delete: "-",
  change: "*",
} as const;

/** Hold type (1 char, BY). */
export const HoldType = {
  other: "1",
  anyCopyOfTitle: "2",
  specificCopy: "3",
  anyCopyAtBranch: "4",
} as const;

/** Language (3 digits, fixed in 23/24/26/63/64). */
export const Language = {
  unknown: "000",
  english: "001",
  french: "002",
  german: "003",
  italian: "004",
  dutch: "005",
  swedish: "006",
  finnish: "007",
  spanish: "008",
  danish: "009",
  portuguese: "010",
  canadianFrench: "011",
  norwegian: "012",
  hebrew: "013",
  japanese: "014",
  russian: "015",
  arabic: "016",
  polish: "017",
  greek: "018",
  chinese: "019",
  korean: "020",
  northAmericanSpanish: "021",
  tamil: "022",
  malay: "023",
  unitedKingdom: "024",
  icelandic: "025",
  belgian: "026",
  taiwanese: "027",
} as const;

/** Alert type (CV, 3M sorter extension in 10; 2 digits). */
export const AlertType = {
  unknown: "00",
  holdForThisLibrary: "01",
  holdForOtherBranch: "02",
  holdForIll: "03",
  sendToOtherBranch: "04",
  other: "99",
} as const;

/** SC status code (1 char, fixed in 99). */
export const ScStatusCode = {
  ok: "0",
  printerOutOfPaper: "1",
  aboutToShutDown: "2",
} as const;

/** UID / PWD algorithm (1 char each, fixed in 93). Other values by bilateral agreement. */
export const LoginAlgorithm = {
  notEncrypted: "0",
} as const;

/** Protocol version (4 chars, fixed in 98/99). */
export const ProtocolVersion = {
  v1: "1.00",
  v2: "2.00",
} as const;

/** Builds code → name for a table (used by describe). */
export function reverseTable(table: Record<string, string>): ReadonlyMap<string, string> {
  return new Map(Object.entries(table).map(([name, code]) => [code, name]));
}

/** Reads a Y/blank bit string into named flags: only `Y`/`y` is true (`N` and space are false). */
export function readFlags<K extends string>(positions: Record<K, number>, raw: string): Record<K, boolean> {
  const out = {} as Record<K, boolean>;
  for (const name of Object.keys(positions) as K[]) {
    const c = raw[positions[name]];
    out[name] = c === "Y" || c === "y";
  }
  return out;
}

/** Writes named flags as a bit string of `width` chars: `Y` for true, `off` (space or `N`) otherwise. */
export function writeFlags<K extends string>(
  positions: Record<K, number>,
  flags: Partial<Record<K, boolean>> | undefined,
  width: number,
  off: " " | "N",
): string {
  const chars = new Array<string>(width).fill(off);
  for (const name of Object.keys(positions) as K[]) {
    if (flags?.[name]) chars[positions[name]] = "Y";
  }
  return chars.join("");
}

/** All flags false: a clean patron, an empty summary, no supported messages. */
export function noFlags<K extends string>(positions: Record<K, number>): Record<K, boolean> {
  return readFlags(positions, "");
}
