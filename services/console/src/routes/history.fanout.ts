import { history, SERVICE_NAMES, type ServiceName } from "@circulate/contracts";
import type { Logger } from "@circulate/runtime";
import type { ServiceCallError, ServiceClients } from "../service-clients.js";

/** Whose history: a patron or an item, by institution and barcode. */
export interface HistoryKey {
  readonly kind: "patron" | "item";
  readonly institution: string;
  readonly barcode: string;
}

/** One service's answer, or the failure that stood for it. */
export type ServiceAnswer = { service: ServiceName; response: history.ListHistoryResponse } | { service: ServiceName; failed: unknown };

/** The services' histories as one. */
export interface MergedHistory {
  readonly entries: history.HistoryEntry[];
  /** Older entries exist: ask again with `before` the last entry's time. */
  readonly more: boolean;
  /** Services that did not answer in time (their entries are missing). */
  readonly unavailable: ServiceName[];
}

const time = (e: history.HistoryEntry) => e.at?.getTime() ?? 0;

/**
 * Newest first across services, at most `limit`. Each service sent up to
 * `limit` of its own newest, so the first `limit` of the merge are the newest
 * of all; there is more when any service said so or the merge was cut (and
 * then the page never ends inside an instant: `withoutSplitInstant`).
 */
export function mergeHistories(answers: readonly ServiceAnswer[], limit: number): MergedHistory {
  const all: history.HistoryEntry[] = [];
  let more = false;
  const unavailable: ServiceName[] = [];
  // The oldest instant each service that has more sent: its next entries may share it.
  const cutAt = new Set<number>();
  for (const a of answers) {
    if ("failed" in a) unavailable.push(a.service);
    else {
      all.push(...a.response.entries);
      more ||= a.response.more;
      const oldest = a.response.entries.at(-1);
      if (a.response.more && oldest) cutAt.add(time(oldest));
    }
  }
  all.sort((x, y) => time(y) - time(x) || x.service.localeCompare(y.service) || y.id.localeCompare(x.id));
  const page = all.slice(0, limit);
  const next = all[limit];
  if (next) cutAt.add(time(next));
  return { entries: withoutSplitInstant(page, cutAt), more: more || next !== undefined, unavailable };
}

/**
 * The next page asks for what is older than this page's last entry: when the
 * page was cut inside an instant (one transaction's events, a chunk of an
 * import share it), its entries of that instant go to the next page instead,
 * or the ones that did not fit would never be shown. A page of one instant
 * only is kept whole.
 */
function withoutSplitInstant(page: history.HistoryEntry[], cutAt: ReadonlySet<number>): history.HistoryEntry[] {
  const last = page.at(-1);
  if (!last || !cutAt.has(time(last))) return page;
  const kept = page.filter((e) => time(e) !== time(last));
  return kept.length > 0 ? kept : page;
}

/**
 * Asks every service's History/ListHistory at once, each within the console's
 * deadline, and merges the answers; a service that fails is logged and named.
 */
export async function listHistories(services: ServiceClients, key: HistoryKey, limit: number, before: Date | undefined, logger: Pick<Logger, "warn">): Promise<MergedHistory> {
  const ref = { institutionId: key.institution, barcode: key.barcode };
  const request = history.ListHistoryRequest.fromPartial({
    subject: key.kind === "patron" ? { $case: "patron", value: ref } : { $case: "item", value: ref },
    limit,
    ...(before ? { before } : {}),
  });
  const answers = await Promise.all(
    SERVICE_NAMES.map((service) =>
      services.listHistory(service, request).then(
        (response): ServiceAnswer => ({ service, response }),
        (failed: ServiceCallError): ServiceAnswer => {
          logger.warn({ service, code: failed.code, details: failed.detail }, "history: service did not answer");
          return { service, failed };
        },
      ),
    ),
  );
  return mergeHistories(answers, limit);
}
