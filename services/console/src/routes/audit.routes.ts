import { auditEntrySchema, readAudit } from "../audit.js";
import type { ApiRoute } from "../http/api.js";
import type { ConsoleDeps } from "../http/deps.js";
import { object } from "../views/schemas.js";

/** The console's own audit trail, from its event store. */
export function auditRoutes(deps: ConsoleDeps): ApiRoute[] {
  return [
    {
      method: "GET",
      url: "/api/audit",
      access: "administrator",
      summary: "What staff did through the console (sign-ins, failed sign-ins, actions), newest first",
      tags: ["audit"],
      schema: {
        querystring: object(
          { staff: { type: "string", minLength: 1, maxLength: 64 }, limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
          ["staff", "limit"],
        ),
        response: { 200: object({ entries: { type: "array", items: auditEntrySchema } }) },
      },
      handler: async (req) => {
        const { staff, limit } = req.query as { staff?: string; limit: number };
        return { entries: await readAudit(deps.db, { staff, limit }) };
      },
    },
  ];
}
