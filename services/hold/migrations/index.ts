import type { Migration } from "kysely";
import * as projections from "./0001-hold-projections.js";
import * as peerFacts from "./0002-peer-facts.js";

/** The hold service's own migrations (the event store's run first, see migrateDatabase). Names sort in run order. */
export const holdMigrations: Record<string, Migration> = {
  hold_0001_projections: projections,
  hold_0002_peer_facts: peerFacts,
};
