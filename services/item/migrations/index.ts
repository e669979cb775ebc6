import type { Migration } from "kysely";
import * as projections from "./0001-item-projections.js";
import * as peerFacts from "./0002-peer-facts.js";

/** The item service's own migrations (the event store's run first, see migrateDatabase). Names sort in run order. */
export const itemMigrations: Record<string, Migration> = {
  "item_0001_projections": projections,
  "item_0002_peer_facts": peerFacts,
};
