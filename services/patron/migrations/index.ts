import type { Migration } from "kysely";
import * as patrons from "./0001-patrons.js";
import * as pinLockMinutes from "./0002-pin-lock-minutes.js";
import * as peerProjections from "./0003-peer-projections.js";
import * as loanStreams from "./0004-loan-streams.js";
import * as nameSearch from "./0005-patron-name-search.js";

/**
 * The patron service's own migrations (projection and reference tables), run
 * after the event store's by `migrateDatabase`. Names sort in run order.
 *
 * The app imports this folder as `#migrations` (package.json `imports`): the
 * source in tests and typechecks, `dist/migrations/` once built. That keeps
 * migrations out of `src/` (they never import app code) while `dist/main.js`
 * stays the entry point.
 */
export const patronMigrations: Readonly<Record<string, Migration>> = Object.freeze({
  "patron_0001_patrons": patrons,
  "patron_0002_pin_lock_minutes": pinLockMinutes,
  "patron_0003_peer_projections": peerProjections,
  "patron_0004_loan_streams": loanStreams,
  "patron_0005_patron_name_search": nameSearch,
});
