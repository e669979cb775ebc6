export {
  type BlockPatron,
  type BlockPatronRefusal,
  decideBlockPatron,
  type PatronStandingReply,
} from "./block-patron.decider.js";
export {
  decideEnablePatron,
  type EnablePatron,
  type EnablePatronFacts,
  type EnablePatronRefusal,
} from "./enable-patron.decider.js";
export { decideEndPatronSession, type EndPatronSession } from "./end-patron-session.decider.js";
export {
  decideImportBlock,
  decideImportPatron,
  type ImportPatron,
  type ImportPatronRefusal,
  type ImportPatronResult,
} from "./import-patron.decider.js";
export {
  expiryDateOf,
  expiryInstant,
  isLocalDate,
  type LocalDate,
  localDateAt,
  nextLocalDate,
  startOfLocalDate,
} from "./local-date.js";
export { codeOfLanguage, languageOfCode } from "./language.js";
export {
  changedPatronFields,
  PATRON_RECORD_FIELDS,
  type PatronId,
  type PatronRecord,
  patronDetails,
  patronRecordProblem,
  patronRefOf,
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
export { type PatronRefusalOptions, type PatronRefusalReason, patronRefusal } from "./patron-refusal.js";
export type { PinHasher } from "./pin-hash.js";
export {
  decideRegisterPatron,
  type PatronRecordFacts,
  type RegisterPatron,
  type RegisterPatronRefusal,
} from "./register-patron.decider.js";
export {
  type CardReportRefusal,
  decideReportCardFound,
  decideReportCardLost,
  type ReportCardFound,
  type ReportCardLost,
} from "./report-card-lost.decider.js";
export {
  decideSetPin,
  decideUnlockPin,
  type SetPin,
  type SetPinRefusal,
  type UnlockPin,
  type UnlockPinRefusal,
} from "./set-pin.decider.js";
export {
  isDenied,
  isExpired,
  PATRON_STATUS_FLAGS,
  type PatronStatusFlag,
  type PatronStatusFlags,
  type PatronTypePolicy,
  type PatronUsage,
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
export { type UpdatePatron, type UpdatePatronRefusal, decideUpdatePatron } from "./update-patron.decider.js";
export {
  decideVerifyPatron,
  type PatronVerification,
  type VerifyPatron,
  type VerifyPatronFacts,
} from "./verify-patron.decider.js";
export {
  checkPin,
  decideVerifyPin,
  pinLockInForce,
  type PinCheck,
  type PinPolicy,
  type VerifyPin,
  type VerifyPinRefusal,
} from "./verify-pin.decider.js";
export {
  type PatronEvent,
  type PatronEventOf,
  type PatronEventType,
  patronEvent,
  type Unpublished,
  unpublishedKeys,
  unpublishedOf,
} from "./unpublished-fields.js";
