import type { FeeDb, FeeTrx } from "../adapters/db.js";
import { findInstitution, type InstitutionRecord } from "../adapters/institutions.repository.js";

/** What the fee service must know about an institution to assess and take fees. */
export interface InstitutionSettings extends InstitutionRecord {
  /** False when nothing was upserted for it and the service-wide defaults apply. */
  readonly configured: boolean;
}

/** Service-wide fallbacks (FEE_DEFAULT_TIME_ZONE, FEE_DEFAULT_CURRENCY). */
export interface InstitutionDefaults {
  readonly timeZone: string;
  readonly currency: string;
}

export async function institutionSettings(db: FeeDb | FeeTrx, institutionId: string, defaults: InstitutionDefaults): Promise<InstitutionSettings> {
  const row = await findInstitution(db, institutionId);
  if (!row) return { institutionId, name: "", timeZone: defaults.timeZone, currency: defaults.currency, closedWeekdays: [], closedDates: [], configured: false };
  return {
    institutionId,
    name: row.name,
    timeZone: row.time_zone,
    currency: row.currency,
    closedWeekdays: row.closed_weekdays,
    closedDates: row.closed_dates,
    configured: true,
  };
}
