export {
  createScryptPinHasher,
  encodePinHash,
  MalformedPinHashError,
  type ParsedPinHash,
  parsePinHash,
  type ScryptParams,
  type ScryptPinHasherOptions,
} from "./app/pin-hasher.js";
export { DEFAULT_PATRON_SERVICE_OPTIONS, type PatronServiceOptions, patronSettings } from "./settings.js";
export {
  type BlockPatron,
  type BlockPatronRefusal,
  decideBlock,
  decideBlockPatron,
} from "./block-patron/block-patron.decider.js";
export * from "./domain/index.js";
export {
  decideEnablePatron,
  decideUnblockPatron,
  type EnablePatron,
  type EnablePatronFacts,
  type EnablePatronRefusal,
  type UnblockPatron,
  type UnblockPatronRefusal,
} from "./enable-patron/enable-patron.decider.js";
export { decideEndPatronSession, type EndPatronSession } from "./end-patron-session/end-patron-session.decider.js";
export {
  decideImportBlock,
  decideImportPatron,
  type ImportPatron,
  type ImportPatronRefusal,
  type ImportPatronResult,
} from "./import-patrons/import-patron.decider.js";
export { decideRegisterPatron, type RegisterPatron, type RegisterPatronRefusal } from "./register-patron/register-patron.decider.js";
export {
  type CardReportRefusal,
  decideReportCardFound,
  decideReportCardLost,
  type ReportCardFound,
  type ReportCardLost,
} from "./report-card-lost/report-card-lost.decider.js";
export { decideSetPin, type SetPin, type SetPinRefusal } from "./set-pin/set-pin.decider.js";
export { decideUnlockPin, type UnlockPin, type UnlockPinRefusal } from "./unlock-pin/unlock-pin.decider.js";
export { decideUpdatePatron, type UpdatePatron, type UpdatePatronRefusal } from "./update-patron/update-patron.decider.js";
export { type PatronRefusalOptions, type PatronRefusalReason, patronRefusal } from "./verify-patron/patron-refusal.js";
export {
  decideVerifyPatron,
  type PatronVerification,
  type VerifyPatron,
  type VerifyPatronFacts,
} from "./verify-patron/verify-patron.decider.js";
export { decideVerifyPin, type VerifyPin, type VerifyPinRefusal } from "./verify-pin/verify-pin.decider.js";
export { patronService } from "./service.js";
