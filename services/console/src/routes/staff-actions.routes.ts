import { type ApiRoute, notFound } from "../http/api.js";
import type { ConsoleDeps } from "../http/deps.js";
import { holdSchema, holdView, itemCore, itemCoreSchema, patronCore, patronCoreSchema } from "../views/circulation.js";
import { bool, object, refParams } from "../views/schemas.js";
import { recordedAction } from "./action.js";
import { keyOf, named, reasonField } from "./patron.routes.js";

const institutionParams = object({ institution: refParams.properties.institution });

/**
 * Patron search, blocks, an item missing or found, a hold cancelled: the
 * services' staff RPCs, each given the signed-in name as `staff`.
 */
export function staffActionRoutes(deps: ConsoleDeps): ApiRoute[] {
  const itemStatus = (status: "missing" | "found"): ApiRoute => ({
    method: "POST",
    url: `/api/items/:institution/:barcode/${status}`,
    access: "circulation",
    summary:
      status === "missing"
        ? "Mark an item missing (not on the shelf where it should be); an item on loan is refused (409). The note is required"
        : "Record a missing item found again: available where it was last recorded, or in transit home. The note is required",
    tags: ["items"],
    schema: { params: refParams, body: object({ note: reasonField }), response: { 200: object({ item: itemCoreSchema }) } },
    handler: async (req) => {
      const key = keyOf(req);
      const { note } = req.body as { note: string };
      const after = await recordedAction(deps, req, { action: `item.${status}`, target: `item ${named(key)}`, reason: note }, async () => {
        const changed = await deps.services.setItemStatus(key, status, req.staff.staff, note);
        if (!changed) throw notFound(`item ${named(key)}`);
        return changed;
      });
      return { item: itemCore(after) };
    },
  });

  return [
    {
      method: "GET",
      url: "/api/patrons/:institution",
      access: "viewer",
      summary: "Patrons of an institution whose name starts with `name` (case-insensitive), by name; `more` when further patrons match",
      tags: ["patrons"],
      schema: {
        params: institutionParams,
        querystring: object({ name: { type: "string", minLength: 1, maxLength: 100 }, limit: { type: "integer", minimum: 1, maximum: 100, default: 20 } }, ["limit"]),
        response: { 200: object({ patrons: { type: "array", items: patronCoreSchema }, more: bool }) },
      },
      handler: async (req) => {
        const { institution } = req.params as { institution: string };
        const { name, limit } = req.query as { name: string; limit: number };
        const found = await deps.services.searchPatrons(institution, name, limit);
        return { patrons: found.patrons.map(patronCore), more: found.more };
      },
    },
    {
      method: "POST",
      url: "/api/patrons/:institution/:barcode/block",
      access: "circulation",
      summary: "Block the patron (checkouts, renewals and holds refused at every terminal); the reason is required and shown with the block",
      tags: ["patrons"],
      schema: { params: refParams, body: object({ reason: reasonField }), response: { 200: object({ patron: patronCoreSchema }) } },
      handler: async (req) => {
        const key = keyOf(req);
        const { reason } = req.body as { reason: string };
        const patron = await recordedAction(deps, req, { action: "patron.block", target: `patron ${named(key)}`, reason }, async () => {
          const after = await deps.services.blockPatron(key, req.staff.staff, reason);
          if (!after) throw notFound(`patron ${named(key)}`);
          return after;
        });
        return { patron: patronCore(patron) };
      },
    },
    {
      method: "POST",
      url: "/api/patrons/:institution/:barcode/unblock",
      access: "circulation",
      summary: "Lift the patron's block, whoever set it; a lost card, expiry or limits still apply",
      tags: ["patrons"],
      schema: { params: refParams, body: { ...object({ reason: reasonField }, ["reason"]), nullable: true }, response: { 200: object({ patron: patronCoreSchema }) } },
      handler: async (req) => {
        const key = keyOf(req);
        const reason = (req.body as { reason?: string } | undefined)?.reason;
        const patron = await recordedAction(deps, req, { action: "patron.unblock", target: `patron ${named(key)}`, reason }, async () => {
          const after = await deps.services.unblockPatron(key, req.staff.staff, reason ?? "");
          if (!after) throw notFound(`patron ${named(key)}`);
          return after;
        });
        return { patron: patronCore(patron) };
      },
    },
    itemStatus("missing"),
    itemStatus("found"),
    {
      method: "POST",
      url: "/api/holds/:holdId/cancel",
      access: "circulation",
      summary: "Cancel a hold (waiting, in transit or on the shelf); one already cancelled answers as it is, a fulfilled or expired one is 409. The reason is required",
      tags: ["holds"],
      schema: {
        params: object({ holdId: { type: "string", minLength: 1, maxLength: 128 } }),
        body: object({ reason: reasonField }),
        response: { 200: object({ hold: holdSchema }) },
      },
      handler: async (req) => {
        const { holdId } = req.params as { holdId: string };
        const { reason } = req.body as { reason: string };
        const hold = await recordedAction(deps, req, { action: "hold.cancel", target: `hold ${holdId}`, reason }, async () => {
          const after = await deps.services.cancelHold(holdId, req.staff.staff, reason);
          if (!after) throw notFound(`hold ${holdId}`);
          return after;
        });
        return { hold: holdView(hold) };
      },
    },
  ];
}
