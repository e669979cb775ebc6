import type { Migration } from "kysely";
import * as tables from "./0001-loan-tables.js";
import * as peerFacts from "./0002-peer-facts.js";
import * as peerPatrons from "./0003-peer-patrons.js";

/**
 * The loan service's own migrations (the event store's run first, see
 * `migrateDatabase`). Names sort in run order.
 */
export const loanMigrations: Record<string, Migration> = {
  loan_0001_tables: tables,
  loan_0002_peer_facts: peerFacts,
  loan_0003_peer_patrons: peerPatrons,
};
