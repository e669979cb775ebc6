import { patron as patronApi } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { searchPatronsByName } from "../adapters/patrons.repository.js";
import type { PatronApp } from "../app/context.js";
import { timeZoneOf } from "../app/facts.js";
import { patronMessage } from "../app/patron.view.js";

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 100;

/**
 * `Patrons.SearchPatrons`: staff look a patron up by the start of the name
 * (case-insensitive) in one institution. One row more than asked is read to
 * say whether there are more; a long list is a sign to type more, not to page.
 */
export async function searchPatrons(app: PatronApp, request: patronApi.SearchPatronsRequest): Promise<patronApi.SearchPatronsResponse> {
  const prefix = request.namePrefix.trimStart();
  const limit = request.limit === 0 ? DEFAULT_SEARCH_LIMIT : request.limit;
  const problems = [
    ...(request.institutionId === "" ? ["institution_id is required"] : []),
    ...(prefix === "" ? ["name_prefix is required"] : []),
    ...(limit > MAX_SEARCH_LIMIT ? [`limit is at most ${MAX_SEARCH_LIMIT}`] : []),
  ];
  if (problems.length > 0) throw new InvalidArgumentError(problems);
  const rows = await searchPatronsByName(app.db, request.institutionId, prefix, limit + 1);
  // Expiry dates are read in each patron's home zone; most share one, asked once.
  const zones = new Map<string, Promise<string>>();
  const zoneOf = (home: string, institution: string) => {
    const key = `${home}\u0000${institution}`;
    if (!zones.has(key)) zones.set(key, timeZoneOf(app.db, app.options, [home, institution]));
    return zones.get(key)!;
  };
  const found = rows.slice(0, limit);
  const patrons = await Promise.all(found.map(async (row) => patronMessage(row, await zoneOf(row.home_institution, row.institution_id))));
  return patronApi.SearchPatronsResponse.create({ patrons, more: rows.length > limit });
}
