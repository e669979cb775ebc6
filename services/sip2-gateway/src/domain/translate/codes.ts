/**
 * Contract enums ↔ SIP2 code tables. Protobuf numbers are not SIP2 codes (proto/README.md),
 * so every code goes through a table here; each table is checked against its enum at
 * compile time, so a value added to the contract fails to build until it is mapped.
 */
import { common } from "@circulate/contracts";
import { AlertType, CirculationStatus, FeeType, HoldType, Language, MediaType, PaymentType, SecurityMarker } from "@circulate/sip2";

const L = common.Language;

/** Language → SIP2 3-digit code (000 = unknown). */
export const LANGUAGE_CODES = {
  [L.UNSPECIFIED]: Language.unknown,
  [L.ENGLISH]: Language.english,
  [L.FRENCH]: Language.french,
  [L.GERMAN]: Language.german,
  [L.ITALIAN]: Language.italian,
  [L.DUTCH]: Language.dutch,
  [L.SWEDISH]: Language.swedish,
  [L.FINNISH]: Language.finnish,
  [L.SPANISH]: Language.spanish,
  [L.DANISH]: Language.danish,
  [L.PORTUGUESE]: Language.portuguese,
  [L.CANADIAN_FRENCH]: Language.canadianFrench,
  [L.NORWEGIAN]: Language.norwegian,
  [L.HEBREW]: Language.hebrew,
  [L.JAPANESE]: Language.japanese,
  [L.RUSSIAN]: Language.russian,
  [L.ARABIC]: Language.arabic,
  [L.POLISH]: Language.polish,
  [L.GREEK]: Language.greek,
  [L.CHINESE]: Language.chinese,
  [L.KOREAN]: Language.korean,
  [L.NORTH_AMERICAN_SPANISH]: Language.northAmericanSpanish,
  [L.TAMIL]: Language.tamil,
  [L.MALAY]: Language.malay,
  [L.UNITED_KINGDOM]: Language.unitedKingdom,
  [L.ICELANDIC]: Language.icelandic,
  [L.BELGIAN]: Language.belgian,
  [L.TAIWANESE]: Language.taiwanese,
  [L.UNRECOGNIZED]: Language.unknown,
} as const satisfies Record<common.Language, string>;

const M = common.MediaType;

/** Media type → SIP2 CK; unspecified = not sent. */
export const MEDIA_TYPE_CODES = {
  [M.UNSPECIFIED]: undefined,
  [M.OTHER]: MediaType.other,
  [M.BOOK]: MediaType.book,
  [M.MAGAZINE]: MediaType.magazine,
  [M.BOUND_JOURNAL]: MediaType.boundJournal,
  [M.AUDIO_TAPE]: MediaType.audioTape,
  [M.VIDEO_TAPE]: MediaType.videoTape,
  [M.CD]: MediaType.cdOrCdrom,
  [M.DISKETTE]: MediaType.diskette,
  [M.BOOK_WITH_DISKETTE]: MediaType.bookWithDiskette,
  [M.BOOK_WITH_CD]: MediaType.bookWithCd,
  [M.BOOK_WITH_AUDIO_TAPE]: MediaType.bookWithAudioTape,
  [M.UNRECOGNIZED]: MediaType.other,
} as const satisfies Record<common.MediaType, string | undefined>;

const C = common.CirculationStatus;

/** Circulation status → SIP2 18 fixed code; not computed reads as 01 "other". */
export const CIRCULATION_STATUS_CODES = {
  [C.UNSPECIFIED]: CirculationStatus.other,
  [C.OTHER]: CirculationStatus.other,
  [C.ON_ORDER]: CirculationStatus.onOrder,
  [C.AVAILABLE]: CirculationStatus.available,
  [C.CHARGED]: CirculationStatus.charged,
  [C.CHARGED_NOT_RECALLABLE]: CirculationStatus.chargedNotToBeRecalled,
  [C.IN_PROCESS]: CirculationStatus.inProcess,
  [C.RECALLED]: CirculationStatus.recalled,
  [C.WAITING_ON_HOLD_SHELF]: CirculationStatus.waitingOnHoldShelf,
  [C.WAITING_TO_BE_RESHELVED]: CirculationStatus.waitingToBeReshelved,
  [C.IN_TRANSIT]: CirculationStatus.inTransit,
  [C.CLAIMED_RETURNED]: CirculationStatus.claimedReturned,
  [C.LOST]: CirculationStatus.lost,
  [C.MISSING]: CirculationStatus.missing,
  [C.UNRECOGNIZED]: CirculationStatus.other,
} as const satisfies Record<common.CirculationStatus, string>;

const S = common.SecurityMarker;

/** Security marker → SIP2 18 fixed code; not recorded reads as 00 "other". */
export const SECURITY_MARKER_CODES = {
  [S.UNSPECIFIED]: SecurityMarker.other,
  [S.OTHER]: SecurityMarker.other,
  [S.NONE]: SecurityMarker.none,
  [S.TATTLE_TAPE]: SecurityMarker.tattleTape,
  [S.WHISPER_TAPE]: SecurityMarker.whisperTape,
  [S.UNRECOGNIZED]: SecurityMarker.other,
} as const satisfies Record<common.SecurityMarker, string>;

const F = common.FeeType;

/** Fee type → SIP2 code (BT, and the fixed field of 18 where "no fee" is sent as 01). */
export const FEE_TYPE_CODES = {
  [F.UNSPECIFIED]: undefined,
  [F.OTHER]: FeeType.other,
  [F.ADMINISTRATIVE]: FeeType.administrative,
  [F.DAMAGE]: FeeType.damage,
  [F.OVERDUE]: FeeType.overdue,
  [F.PROCESSING]: FeeType.processing,
  [F.RENTAL]: FeeType.rental,
  [F.REPLACEMENT]: FeeType.replacement,
  [F.COMPUTER_ACCESS]: FeeType.computerAccessCharge,
  [F.HOLD]: FeeType.holdFee,
  [F.UNRECOGNIZED]: FeeType.other,
} as const satisfies Record<common.FeeType, string | undefined>;

/** Short names of fee types, for the AV fine list. */
export const FEE_TYPE_NAMES = {
  [F.UNSPECIFIED]: "fee",
  [F.OTHER]: "fee",
  [F.ADMINISTRATIVE]: "administrative",
  [F.DAMAGE]: "damage",
  [F.OVERDUE]: "overdue",
  [F.PROCESSING]: "processing",
  [F.RENTAL]: "rental",
  [F.REPLACEMENT]: "replacement",
  [F.COMPUTER_ACCESS]: "computer access",
  [F.HOLD]: "hold fee",
  [F.UNRECOGNIZED]: "fee",
} as const satisfies Record<common.FeeType, string>;

const A = common.AlertType;

/** Alert type → SIP2 CV (3M extension); unspecified = not sent. */
export const ALERT_TYPE_CODES = {
  [A.UNSPECIFIED]: undefined,
  [A.LOCAL_HOLD]: AlertType.holdForThisLibrary,
  [A.REMOTE_HOLD]: AlertType.holdForOtherBranch,
  [A.ILL_HOLD]: AlertType.holdForIll,
  [A.TRANSIT]: AlertType.sendToOtherBranch,
  [A.OTHER]: AlertType.other,
  [A.UNRECOGNIZED]: AlertType.other,
} as const satisfies Record<common.AlertType, string | undefined>;

/** code → enum value, the first value listed for a code winning. */
function byCode<E extends string>(table: Record<E, string | undefined>): ReadonlyMap<string, E> {
  const out = new Map<string, E>();
  for (const [value, code] of Object.entries(table) as [E, string | undefined][]) {
    if (code !== undefined && value !== "UNRECOGNIZED" && !out.has(code)) out.set(code, value);
  }
  return out;
}

const FEE_TYPES = byCode(FEE_TYPE_CODES);
const LANGUAGES = byCode(LANGUAGE_CODES);

/** SIP2 language code (23/63) → contract language; unknown codes read as unspecified. */
export function languageOf(code: string): common.Language {
  return LANGUAGES.get(code) ?? L.UNSPECIFIED;
}

/** SIP2 fee type (37) → contract fee type; a code SIP2 does not define means "any fee". */
export function feeTypeOf(code: string): common.FeeType {
  return FEE_TYPES.get(code) ?? F.UNSPECIFIED;
}

/** SIP2 payment type (37) → contract payment type; device codes we do not know are OTHER. */
export function paymentTypeOf(code: string): common.PaymentType {
  switch (code) {
    case PaymentType.cash:
      return common.PaymentType.CASH;
    case PaymentType.visa:
      return common.PaymentType.VISA;
    case PaymentType.creditCard:
      return common.PaymentType.CREDIT_CARD;
    case PaymentType.check:
      return common.PaymentType.CHECK;
    default:
      return common.PaymentType.OTHER;
  }
}

/** SIP2 hold type (BY) → contract hold type; absent or unknown = the service default. */
export function holdTypeOf(code: string | undefined): common.HoldType {
  switch (code) {
    case HoldType.other:
      return common.HoldType.OTHER;
    case HoldType.anyCopyOfTitle:
      return common.HoldType.ANY_COPY;
    case HoldType.specificCopy:
      return common.HoldType.SPECIFIC_COPY;
    case HoldType.anyCopyAtBranch:
      return common.HoldType.ANY_COPY_AT_LOCATION;
    default:
      return common.HoldType.UNSPECIFIED;
  }
}
