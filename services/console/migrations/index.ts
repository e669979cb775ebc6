import type { Migration } from "kysely";
import * as staff from "./0001-staff.js";

/**
 * The console's own migrations, run after the event store's by
 * `migrateDatabase`. Imported as `#migrations` (package.json `imports`) so
 * they stay out of `src/` and never import app code.
 */
export const consoleMigrations: Readonly<Record<string, Migration>> = Object.freeze({
  console_0001_staff: staff,
});
