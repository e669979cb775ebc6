import type { Migration } from "kysely";
import * as feeProjections from "./0001-fee-projections.js";

/** The fee service's own migrations (run after the event store's), in name order. */
export const feeMigrations: Record<string, Migration> = {
  "fee_0001_projections": feeProjections,
};
