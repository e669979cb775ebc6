import { history, type ServiceName } from "@circulate/contracts";
import type { EventStoreDatabase } from "@circulate/eventstore";
import type { Logger } from "@circulate/runtime";
import type { Kysely } from "kysely";
import { InvalidArgumentError } from "../errors.js";
import { unaryRpc } from "../grpc-server.js";
import type { GrpcService } from "../host.js";
import { type HistoryRow, type HistorySubject, listHistory } from "./history.repository.js";

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 500;

/** The request's subject and limit, or InvalidArgumentError naming every problem. */
export function historyQuery(req: history.ListHistoryRequest): { subject: HistorySubject; limit: number; before: Date | undefined } {
  const problems: string[] = [];
  const ref = req.subject?.value;
  if (!ref) problems.push("a patron or an item is required");
  else {
    if (!ref.institutionId) problems.push("institution_id is required");
    if (!ref.barcode) problems.push("barcode is required");
  }
  if (req.limit < 0 || req.limit > MAX_HISTORY_LIMIT) problems.push(`limit must be between 1 and ${MAX_HISTORY_LIMIT}`);
  if (problems.length > 0 || !req.subject) throw new InvalidArgumentError(problems);
  return {
    subject: { kind: req.subject.$case, institution: req.subject.value.institutionId, barcode: req.subject.value.barcode },
    limit: req.limit === 0 ? DEFAULT_HISTORY_LIMIT : req.limit,
    before: req.before,
  };
}

/** A stored row as the contract's entry. */
export function historyEntry(service: ServiceName, row: HistoryRow): history.HistoryEntry {
  return history.HistoryEntry.fromPartial({
    at: row.at,
    service,
    kind: row.kind === "refusal" ? history.HistoryKind.REFUSAL : history.HistoryKind.EVENT,
    type: row.type,
    terminalAccount: row.terminal_account ?? "",
    location: row.location ?? "",
    patronBarcode: row.patron_barcode ?? "",
    itemBarcode: row.item_barcode ?? "",
    title: row.title ?? "",
    dueAt: row.due_at ?? undefined,
    refusalReason: row.reason ?? "",
    screenMessage: row.screen_message ?? "",
    id: row.id,
    institutionId: row.institution ?? "",
    patronInstitutionId: row.patron_institution ?? "",
    itemInstitutionId: row.item_institution ?? "",
    staff: row.staff ?? "",
  });
}

/** `library.history.v1.History`, served by every service host over its own store. */
export function historyGrpc<DB extends EventStoreDatabase>(service: ServiceName, db: Kysely<DB>, logger: Logger): GrpcService {
  const implementation: history.HistoryServer = {
    listHistory: unaryRpc(logger, "ListHistory", async (req: history.ListHistoryRequest) => {
      const q = historyQuery(req);
      // One more than asked says whether there is more.
      const rows = await listHistory(db, q.subject, q.limit + 1, q.before);
      return history.ListHistoryResponse.fromPartial({ entries: rows.slice(0, q.limit).map((r) => historyEntry(service, r)), more: rows.length > q.limit });
    }),
  };
  return { definition: history.HistoryService, implementation };
}
