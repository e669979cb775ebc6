import type { EnvReader } from "@circulate/runtime";
import type { HoldSettings } from "./app/command.support.js";

export const DEFAULT_SETTINGS: HoldSettings = { shelfDays: 7, pickupLocations: null };

/** What a hold process is configured with, besides the host's `ServiceConfig`. */
export interface HoldConfig {
  readonly settings: HoldSettings;
  /** How often due holds are expired; 0 = never (another replica or a job does it). */
  readonly expirySweepMs: number;
}

/**
 * The hold service's own settings, read with the process's reader (its `done()`
 * names every problem, the shared settings' included):
 * - `HOLD_SHELF_DAYS` (default 7, 1–365): days a trapped copy waits on the hold shelf;
 * - `HOLD_PICKUP_LOCATIONS` (default: any): comma-separated valid pickup locations;
 * - `HOLD_EXPIRY_SWEEP_MS` (default 60000, 0 = off): the expiry sweep's period.
 */
export function holdSettings(e: EnvReader): HoldConfig {
  const shelfDays = e.int("HOLD_SHELF_DAYS", DEFAULT_SETTINGS.shelfDays, { min: 1, max: 365 });
  const locations = (e.optional("HOLD_PICKUP_LOCATIONS") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const expirySweepMs = e.int("HOLD_EXPIRY_SWEEP_MS", 60_000, { min: 0 });
  return { settings: { shelfDays, pickupLocations: locations.length > 0 ? locations : null }, expirySweepMs };
}
