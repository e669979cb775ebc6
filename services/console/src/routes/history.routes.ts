import { history, SERVICE_NAMES } from "@circulate/contracts";
import { ApiError, type ApiRoute, type SignedInRequest } from "../http/api.js";
import type { ConsoleDeps } from "../http/deps.js";
import { instant, object, refParams, str } from "../views/schemas.js";
import { type HistoryKey, listHistories, type MergedHistory } from "./history.fanout.js";

const entrySchema = object({
  at: instant,
  service: { type: "string", enum: SERVICE_NAMES },
  kind: { type: "string", enum: ["event", "refusal"] },
  type: str,
  terminal: str,
  staff: str,
  location: str,
  institution: str,
  patron: object({ institution: str, barcode: str }),
  item: object({ institution: str, barcode: str }),
  title: str,
  dueAt: instant,
  reason: str,
  screenMessage: str,
  id: str,
});

export const historySchema = object({
  entries: { type: "array", items: entrySchema },
  more: { type: "boolean" },
  unavailable: { type: "array", items: { type: "string", enum: SERVICE_NAMES } },
});

const query = object({ limit: { type: "integer", minimum: 1, maximum: 500, default: 50 }, before: { type: "string", maxLength: 40 } }, ["before"]);

/** The merged history as the API answers it: empty strings for what an entry does not say. */
export function historyView(h: MergedHistory) {
  return {
    entries: h.entries.map((e) => ({
      at: e.at?.toISOString() ?? null,
      service: e.service,
      kind: e.kind === history.HistoryKind.REFUSAL ? "refusal" : "event",
      type: e.type,
      terminal: e.terminalAccount,
      staff: e.staff,
      location: e.location,
      institution: e.institutionId,
      patron: { institution: e.patronInstitutionId, barcode: e.patronBarcode },
      item: { institution: e.itemInstitutionId, barcode: e.itemBarcode },
      title: e.title,
      dueAt: e.dueAt?.toISOString() ?? null,
      reason: e.refusalReason,
      screenMessage: e.screenMessage,
      id: e.id,
    })),
    more: h.more,
    unavailable: h.unavailable,
  };
}

/** `before` as an instant; anything else is a 400, not an empty page. */
function beforeOf(raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw new ApiError(400, "bad_request", "before must be an ISO 8601 instant");
  return at;
}

/**
 * A patron's and an item's transaction history: every service's events that
 * name them and the commands it refused, merged newest first. A service that
 * does not answer within the console's gRPC deadline is named in
 * `unavailable`, and the rest is answered.
 */
export function historyRoutes(deps: ConsoleDeps): ApiRoute[] {
  const description = "newest first, at most limit (50; up to 500), older than before when given; services that did not answer are named in unavailable";
  const route = (kind: HistoryKey["kind"], article: string): ApiRoute => ({
    method: "GET",
    url: `/api/${kind}s/:institution/:barcode/history`,
    access: "viewer",
    summary: `${article} ${kind}'s transaction history: events naming the ${kind} and refused commands with what the kiosk was told, ${description}`,
    tags: [`${kind}s`],
    schema: { params: refParams, querystring: query, response: { 200: historySchema } },
    handler: async (req: SignedInRequest) => {
      const { institution, barcode } = req.params as { institution: string; barcode: string };
      const { limit, before } = req.query as { limit: number; before?: string };
      return historyView(await listHistories(deps.services, { kind, institution, barcode }, limit, beforeOf(before), req.log));
    },
  });
  return [route("patron", "A"), route("item", "An")];
}
