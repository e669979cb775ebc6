import type { Logger, VerifiedSecretCache } from "@circulate/runtime";
import type { ExtraRefusal, PeerProjections, PipelineContext } from "@circulate/service";
import type { PatronDatabase, PatronDb } from "../adapters/db.js";
import type { PinHasher } from "../domain/index.js";

/** Service settings beyond the common ServiceConfig. */
export interface PatronOptions {
  /** Wrong PINs in a row that lock, for institutions that set none; null = never lock. */
  readonly defaultMaxWrongPins: number | null;
  /** Zone for patrons whose home institution is not loaded (expiry dates). */
  readonly defaultTimeZone: string;
  /** Currency for institutions not loaded. */
  readonly defaultCurrency: string;
  /** Longest 63 list returned, whatever start/end item ask for. */
  readonly maxListEntries: number;
  /** How long VerifyPatron waits for the loan and fee projections to catch up when its caller set no deadline. */
  readonly projectionWaitMs: number;
  /** The time decisions are made at (PIN lock expiry, expiry dates); tests move it. */
  readonly now: () => Date;
}

export const DEFAULT_PATRON_OPTIONS: PatronOptions = {
  defaultMaxWrongPins: 5,
  defaultTimeZone: "UTC",
  defaultCurrency: "USD",
  maxListEntries: 50,
  projectionWaitMs: 2_000,
  now: () => new Date(),
};

/** Everything the handlers and queries share; it is also the command pipeline's context. */
export interface PatronApp extends PipelineContext<PatronDatabase> {
  readonly db: PatronDb;
  /** Read-your-writes barrier before answering from the loan, fee and hold projections. */
  readonly projections: PeerProjections;
  readonly hasher: PinHasher;
  readonly pinCache: VerifiedSecretCache;
  readonly options: PatronOptions;
  readonly logger: Logger;
  /** A corrupt PIN hash as a refusal (see patronRefusalOf). */
  readonly refusalOf: ExtraRefusal;
  /** Wakes the relay after a commit. */
  readonly eventsCommitted: () => void;
}
