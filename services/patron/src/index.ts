export {
  createScryptPinHasher,
  encodePinHash,
  MalformedPinHashError,
  type ParsedPinHash,
  parsePinHash,
  type ScryptParams,
  type ScryptPinHasherOptions,
} from "./app/pin-hasher.js";
export { DEFAULT_PATRON_SERVICE_OPTIONS, type PatronServiceOptions, patronOptionsFromEnv } from "./config.js";
export * from "./domain/index.js";
export { patronService } from "./service.js";
