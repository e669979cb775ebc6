import type { Logger } from "@circulate/runtime";
import type { FeeDb } from "../adapters/db.js";
import type { PatronFacts } from "../adapters/peers.js";
import type { InstitutionDefaults } from "./institutions.js";

/** What the handlers, the consumer and the admin API share. */
export interface FeeDeps {
  readonly db: FeeDb;
  readonly patrons: PatronFacts;
  readonly defaults: InstitutionDefaults;
  readonly logger: Logger;
  /** Wakes the relay after a commit. */
  readonly eventsCommitted: () => void;
  /** Clock; deciders get `now` from here, never read one themselves. */
  readonly now: () => Date;
}
