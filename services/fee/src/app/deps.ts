import type { Logger } from "@circulate/runtime";
import type { PipelineContext } from "@circulate/service";
import type { FeeDatabase, FeeDb } from "../adapters/db.js";
import type { PatronFacts } from "../adapters/peers.js";
import type { InstitutionDefaults } from "./institutions.js";

/** What the handlers, the consumer and the admin API share; it is also the command pipeline's context. */
export interface FeeDeps extends PipelineContext<FeeDatabase> {
  readonly db: FeeDb;
  readonly patrons: PatronFacts;
  readonly defaults: InstitutionDefaults;
  readonly logger: Logger;
  /** Wakes the relay after a commit. */
  readonly eventsCommitted: () => void;
  /** Clock; deciders get `now` from here, never read one themselves. */
  readonly now: () => Date;
}
