import { randomUUID } from "node:crypto";
import { type ApiRoute, notFound, type SignedInRequest } from "../http/api.js";
import type { ConsoleDeps } from "../http/deps.js";
import type { PatronKey } from "../service-clients.js";
import {
  accountView,
  accountSchema,
  chargeSchema,
  chargeView,
  holdView,
  holdsSchema,
  itemView,
  itemViewSchema,
  loansSchema,
  loanView,
  patronCore,
  patronCoreSchema,
  patronView,
  patronViewSchema,
} from "../views/circulation.js";
import { object, refParams } from "../views/schemas.js";
import { recordedAction } from "./action.js";

export const reasonField = { type: "string", minLength: 1, maxLength: 500 } as const;
export const keyOf = (req: SignedInRequest) => req.params as PatronKey;
export const named = (k: PatronKey) => `${k.institution}/${k.barcode}`;

/** Patrons, their fees, holds and loans, and items: through the services' admin gRPC APIs. */
export function circulationRoutes(deps: ConsoleDeps): ApiRoute[] {
  /** Answers 404 for a patron the patron service does not know, before asking the others. */
  const patronOr404 = async (key: PatronKey) => {
    const p = await deps.services.getPatron(key);
    if (!p) throw notFound(`patron ${named(key)}`);
    return p;
  };
  return [
    {
      method: "GET",
      url: "/api/patrons/:institution/:barcode",
      access: "viewer",
      summary: "A patron: details, standing and flags, counts, what they owe, whether PIN checks are locked",
      tags: ["patrons"],
      schema: { params: refParams, response: { 200: patronViewSchema } },
      handler: async (req) => {
        const key = keyOf(req);
        const patron = await patronOr404(key);
        const [verified, loans, holds, account] = await Promise.all([deps.services.verifyPatron(key), deps.services.listLoans(key), deps.services.listHolds(key, false), deps.services.getAccount(key)]);
        return patronView({ patron, verified, loans, holds, account });
      },
    },
    {
      method: "POST",
      url: "/api/patrons/:institution/:barcode/unlock-pin",
      access: "circulation",
      summary: "Lift a PIN lock (the patron service records the signed-in staff member's name)",
      tags: ["patrons"],
      schema: { params: refParams, body: { ...object({ reason: reasonField }, ["reason"]), nullable: true }, response: { 200: object({ patron: patronCoreSchema }) } },
      handler: async (req) => {
        const key = keyOf(req);
        const reason = (req.body as { reason?: string } | undefined)?.reason;
        const patron = await recordedAction(deps, req, { action: "patron.unlock-pin", target: `patron ${named(key)}`, reason }, async () => {
          const after = await deps.services.unlockPin(key, req.staff.staff);
          if (!after) throw notFound(`patron ${named(key)}`);
          return after;
        });
        return { patron: patronCore(patron) };
      },
    },
    {
      method: "POST",
      url: "/api/patrons/:institution/:barcode/card-lost",
      access: "circulation",
      summary: "Record that the patron's card was reported lost (lost: true) or found again (lost: false)",
      tags: ["patrons"],
      schema: {
        params: refParams,
        body: object({ lost: { type: "boolean" }, reason: reasonField }, ["reason"]),
        response: { 200: object({ patron: patronCoreSchema }) },
      },
      handler: async (req) => {
        const key = keyOf(req);
        const { lost, reason } = req.body as { lost: boolean; reason?: string };
        const action = lost ? "patron.card-lost" : "patron.card-found";
        const patron = await recordedAction(deps, req, { action, target: `patron ${named(key)}`, reason }, async () => {
          const after = await deps.services.setCardLost(key, lost, req.staff.staff);
          if (!after) throw notFound(`patron ${named(key)}`);
          return after;
        });
        return { patron: patronCore(patron) };
      },
    },
    {
      method: "GET",
      url: "/api/patrons/:institution/:barcode/fees",
      access: "viewer",
      summary: "A patron's fee account: balance and open charges",
      tags: ["fees"],
      schema: { params: refParams, response: { 200: accountSchema } },
      handler: async (req) => {
        const key = keyOf(req);
        await patronOr404(key);
        return accountView(await deps.services.getAccount(key));
      },
    },
    {
      method: "POST",
      url: "/api/fees/:feeId/waive",
      access: "circulation",
      summary:
        "Waive all of a charge, or part of it (amountMinor, in the charge's currency); the reason is required. The same Idempotency-Key again waives once",
      tags: ["fees"],
      schema: {
        params: object({ feeId: { type: "string", minLength: 1, maxLength: 128 } }),
        headers: { type: "object", properties: { "idempotency-key": { type: "string", maxLength: 128 } } },
        body: object({ reason: reasonField, amountMinor: { type: "integer", minimum: 1 } }, ["amountMinor"]),
        response: { 200: object({ charge: chargeSchema }) },
      },
      handler: async (req) => {
        const { feeId } = req.params as { feeId: string };
        // A client that sends the same Idempotency-Key again (a retry after a lost answer) waives once.
        const key = req.headers["idempotency-key"];
        const requestId = typeof key === "string" && key !== "" ? `console:${req.staff.staff}:${feeId}:${key}` : randomUUID();
        const { reason, amountMinor } = req.body as { reason: string; amountMinor?: number };
        const target = `fee ${feeId}${amountMinor !== undefined ? ` (${amountMinor} minor units)` : ""}`;
        const charge = await recordedAction(deps, req, { action: "fee.waive", target, reason }, async () => {
          // The currency is the charge's own: the fee service checks it, so an empty one means "the charge's".
          const after = await deps.services.waiveFee({
            requestId,
            feeId,
            reason,
            staff: req.staff.staff,
            ...(amountMinor !== undefined ? { amount: { currency: "", amountMinor } } : {}),
          });
          if (!after) throw notFound(`fee ${feeId}`);
          return after;
        });
        return { charge: chargeView(charge) };
      },
    },
    {
      method: "GET",
      url: "/api/patrons/:institution/:barcode/holds",
      access: "viewer",
      summary: "A patron's holds (closed ones too with includeClosed=true)",
      tags: ["holds"],
      schema: {
        params: refParams,
        querystring: object({ includeClosed: { type: "boolean", default: false } }, ["includeClosed"]),
        response: { 200: holdsSchema },
      },
      handler: async (req) => {
        const key = keyOf(req);
        await patronOr404(key);
        const { includeClosed } = req.query as { includeClosed: boolean };
        const res = await deps.services.listHolds(key, includeClosed);
        return { holds: res.holds.map(holdView), available: res.availableCount, waiting: res.unavailableCount };
      },
    },
    {
      method: "GET",
      url: "/api/patrons/:institution/:barcode/loans",
      access: "viewer",
      summary: "A patron's current loans",
      tags: ["loans"],
      schema: { params: refParams, response: { 200: loansSchema } },
      handler: async (req) => {
        const key = keyOf(req);
        await patronOr404(key);
        const res = await deps.services.listLoans(key);
        return { loans: res.loans.map(loanView), overdue: res.overdueCount, recalled: res.recalledCount };
      },
    },
    {
      method: "GET",
      url: "/api/items/:institution/:barcode",
      access: "viewer",
      summary: "An item: title, state and locations, its current loan, its holds queue",
      tags: ["items"],
      schema: { params: refParams, response: { 200: itemViewSchema } },
      handler: async (req) => {
        const key = keyOf(req);
        const found = await deps.services.getItem(key);
        if (!found) throw notFound(`item ${named(key)}`);
        const [current, queue] = await Promise.all([deps.services.getLoan(key), deps.services.getQueue(key, found.titleId)]);
        return itemView(found, current, queue);
      },
    },
  ];
}
