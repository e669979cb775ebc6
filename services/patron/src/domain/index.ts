export { codeOfLanguage, languageOfCode } from "./language.js";
export {
  expiryDateOf,
  expiryInstant,
  isLocalDate,
  type LocalDate,
  localDateAt,
  nextLocalDate,
  startOfLocalDate,
} from "./local-date.js";
export {
  changedPatronFields,
  PATRON_RECORD_FIELDS,
  type PatronId,
  type PatronRecord,
  type PatronRecordFacts,
  patronDetails,
  patronRecordProblem,
  patronRefOf,
  pickPatronRecord,
} from "./patron.record.js";
export {
  evolvePatron,
  initialPatronState,
  type ManualBlock,
  type PatronState,
  type PinState,
  patronStreamId,
  type RegisteredPatron,
  type UnregisteredPatron,
} from "./patron.state.js";
export type { PinHasher } from "./pin-hash.js";
export { checkPin, type PinCheck, type PinPolicy, pinLockedAfter, pinLockInForce } from "./pin-lock.js";
export {
  type InstitutionSettings,
  type PatronPolicy,
  type PatronTypeLimits,
  type PolicyDefaults,
  patronPolicy,
} from "./policy.js";
export {
  isDenied,
  isExpired,
  PATRON_STATUS_FLAGS,
  type PatronStandingReply,
  type PatronStatusFlag,
  type PatronStatusFlags,
  type PatronTypePolicy,
  type PatronUsage,
  hasInternetPrivileges,
  type Privilege,
  reasonsDenying,
  STANDING_EFFECTS,
  STANDING_REASONS,
  type Standing,
  type StandingFacts,
  type StandingReason,
  standing,
  standingAfter,
  standingOf,
  unknownPatronStanding,
} from "./standing.js";
export {
  type PatronEvent,
  type PatronEventOf,
  type PatronEventType,
  patronEvent,
  type Unpublished,
  unpublishedKeys,
  unpublishedOf,
} from "./unpublished-fields.js";
