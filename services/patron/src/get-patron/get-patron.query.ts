import { patron as patronApi } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { findPatron, findPatronById } from "../adapters/patrons.repository.js";
import type { PatronApp } from "../app/context.js";
import { timeZoneOf } from "../app/facts.js";
import { patronMessage } from "../app/patron.view.js";

/** `Patrons.GetPatron` by ref (with the consortium look-up) or by id; an empty answer when there is none. */
export async function getPatron(app: PatronApp, request: patronApi.GetPatronRequest): Promise<patronApi.GetPatronResponse> {
  const key = request.key;
  const row =
    key?.$case === "patron" ? await findPatron(app.db, key.value) : key?.$case === "patronId" ? await findPatronById(app.db, key.value) : undefined;
  if (!key) throw new InvalidArgumentError(["patron or patron_id is required"]);
  if (!row) return patronApi.GetPatronResponse.create({});
  const zone = await timeZoneOf(app.db, app.options, [row.home_institution, row.institution_id]);
  return patronApi.GetPatronResponse.create({ patron: patronMessage(row, zone) });
}
