import { readEnv } from "@circulate/runtime";
import { type ServiceConfig, serviceConfigFromEnv } from "@circulate/service";
import type { HoldSettings } from "./app/command.support.js";

export interface HoldConfig {
  readonly service: ServiceConfig;
  readonly settings: HoldSettings;
  /** How often due holds are expired; 0 = never (another replica or a job does it). */
  readonly expirySweepMs: number;
}

/**
 * The common service variables (`serviceConfigFromEnv("hold")`) plus:
 * - `HOLD_SHELF_DAYS` (default 7): days a trapped copy waits on the hold shelf;
 * - `HOLD_PICKUP_LOCATIONS` (default: any): comma-separated valid pickup locations;
 * - `HOLD_EXPIRY_SWEEP_MS` (default 60000, 0 = off): the expiry sweep's period.
 * Fails fast, naming every invalid variable.
 */
export function holdConfigFromEnv(env: NodeJS.ProcessEnv = process.env): HoldConfig {
  const service = serviceConfigFromEnv("hold", env);
  const e = readEnv(env);
  const shelfDays = e.int("HOLD_SHELF_DAYS", 7, { min: 1, max: 365 });
  const locations = (e.optional("HOLD_PICKUP_LOCATIONS") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const expirySweepMs = e.int("HOLD_EXPIRY_SWEEP_MS", 60_000, { min: 0 });
  e.done();
  return { service, settings: { shelfDays, pickupLocations: locations.length > 0 ? locations : null }, expirySweepMs };
}
