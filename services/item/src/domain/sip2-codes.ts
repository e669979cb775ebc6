/**
 * SIP2 code tables the item domain produces (sip2-reference §4.3–4.5, §4.8).
 * `as const` objects, not enums: the values are the wire codes, so a decider's
 * output can be written to the socket without a mapping table.
 */

/** Circulation status, the 2-digit fixed field of 18 (§4.3). */
export const CIRCULATION_STATUS = {
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
export type CirculationStatusCode = (typeof CIRCULATION_STATUS)[keyof typeof CIRCULATION_STATUS];

/** Security marker, 2 digits in 18 (§4.4). */
export const SECURITY_MARKER = {
  other: "00",
  none: "01",
  tattleTape: "02",
  whisperTape: "03",
} as const;
export type SecurityMarkerCode = (typeof SECURITY_MARKER)[keyof typeof SECURITY_MARKER];

/** Fee type, 2 digits fixed in 18 (§4.5). Only 01–09 are defined anywhere. */
export const FEE_TYPE = {
  otherUnknown: "01",
  administrative: "02",
  damage: "03",
  overdue: "04",
  processing: "05",
  rental: "06",
  replacement: "07",
  computerAccess: "08",
  holdFee: "09",
} as const;
export type FeeTypeCode = (typeof FEE_TYPE)[keyof typeof FEE_TYPE];

/** Media type, SIP2 `CK` (§4.8). */
export const MEDIA_TYPE = {
  other: "000",
  book: "001",
  magazine: "002",
  boundJournal: "003",
  audioTape: "004",
  videoTape: "005",
  cdOrCdRom: "006",
  diskette: "007",
  bookWithDiskette: "008",
  bookWithCd: "009",
  bookWithAudioTape: "010",
} as const;
export type MediaTypeCode = (typeof MEDIA_TYPE)[keyof typeof MEDIA_TYPE];

const MEDIA_TYPES = new Set<string>(Object.values(MEDIA_TYPE));
const SECURITY_MARKERS = new Set<string>(Object.values(SECURITY_MARKER));

export function isMediaTypeCode(value: string): value is MediaTypeCode {
  return MEDIA_TYPES.has(value);
}

export function isSecurityMarkerCode(value: string): value is SecurityMarkerCode {
  return SECURITY_MARKERS.has(value);
}
