import type { FastifyReply } from "fastify";
import type { Role } from "../db.js";
import { ApiError, type ApiRoute, notFound, type SignedInRequest } from "../http/api.js";
import type { ConsoleDeps } from "../http/deps.js";
import { MIN_PASSWORD_LENGTH } from "../passwords.js";
import { createStaff, listStaff, STAFF_NAME_PATTERN, StaffExistsError, staffSchema, staffView, updateStaff } from "../staff.js";
import { object, role } from "../views/schemas.js";
import { recordedAction } from "./action.js";

const password = { type: "string", minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 } as const;

/** Staff accounts, for administrators. */
export function staffRoutes(deps: ConsoleDeps): ApiRoute[] {
  return [
    {
      method: "GET",
      url: "/api/staff",
      access: "administrator",
      summary: "Every staff account",
      tags: ["staff"],
      schema: { response: { 200: object({ staff: { type: "array", items: staffSchema } }) } },
      handler: async () => ({ staff: (await listStaff(deps.db)).map(staffView) }),
    },
    {
      method: "POST",
      url: "/api/staff",
      access: "administrator",
      summary: "Create a staff account",
      tags: ["staff"],
      schema: {
        body: object({ name: { type: "string", pattern: STAFF_NAME_PATTERN }, role, password }),
        response: { 201: staffSchema },
      },
      handler: async (req: SignedInRequest, reply: FastifyReply) => {
        const body = req.body as { name: string; role: Role; password: string };
        const row = await recordedAction(deps, req, { action: "staff.create", target: `staff ${body.name} as ${body.role}` }, async () => {
          try {
            return await createStaff(deps.db, body);
          } catch (err) {
            if (err instanceof StaffExistsError) throw new ApiError(409, "conflict", err.message);
            throw err;
          }
        });
        return reply.status(201).send(staffView(row));
      },
    },
    {
      method: "PATCH",
      url: "/api/staff/:name",
      access: "administrator",
      summary: "Change a staff account's role, password or whether it is active (ends its sessions)",
      tags: ["staff"],
      schema: {
        params: object({ name: { type: "string", pattern: STAFF_NAME_PATTERN } }),
        body: { ...object({ role, active: { type: "boolean" }, password }, ["role", "active", "password"]), minProperties: 1 },
        response: { 200: staffSchema },
      },
      handler: async (req: SignedInRequest) => {
        const { name } = req.params as { name: string };
        const change = req.body as { role?: Role; active?: boolean; password?: string };
        const what = [
          change.role !== undefined ? `role ${change.role}` : "",
          change.active !== undefined ? (change.active ? "switched on" : "switched off") : "",
          change.password !== undefined ? "new password" : "",
        ].filter((s) => s !== "");
        const row = await recordedAction(deps, req, { action: "staff.update", target: `staff ${name}: ${what.join(", ")}` }, async () => {
          const result = await updateStaff(deps.db, name, change);
          if (result === "not-found") throw notFound(`staff account ${name}`);
          if (result === "last-administrator") throw new ApiError(409, "conflict", "that would leave no active administrator");
          return result;
        });
        return staffView(row);
      },
    },
  ];
}
