import type { ActionResult } from "../audit.js";
import { ApiError, type SignedInRequest } from "../http/api.js";
import type { ConsoleDeps } from "../http/deps.js";
import { ServiceCallError } from "../service-clients.js";
import { status as grpcStatus } from "@grpc/grpc-js";

export interface ActionFacts {
  /** What was done, e.g. `patron.unlock-pin`. */
  readonly action: string;
  /** What it was done to, e.g. `patron MAIN/P0001`. */
  readonly target: string;
  readonly reason?: string | undefined;
}

/** A refusal is the service's answer (not found, invalid); anything else is a failure to act. */
function resultOf(err: unknown): ActionResult {
  if (err instanceof ApiError) return err.status < 500 ? "refused" : "failed";
  if (!(err instanceof ServiceCallError)) return "failed";
  return [grpcStatus.UNAVAILABLE, grpcStatus.DEADLINE_EXCEEDED, grpcStatus.INTERNAL, grpcStatus.UNKNOWN].includes(err.code) ? "failed" : "refused";
}

/**
 * Runs a staff action and records it as StaffActionTaken, whatever its end:
 * who (name and role), what, to what, why, and how it ended.
 */
export async function recordedAction<T>(deps: ConsoleDeps, req: SignedInRequest, facts: ActionFacts, act: () => Promise<T>): Promise<T> {
  const who = { staff: req.staff.staff, role: req.staff.role, action: facts.action, target: facts.target, ...(facts.reason ? { reason: facts.reason } : {}) };
  try {
    const result = await act();
    await deps.audit.record({ type: "StaffActionTaken", data: { ...who, result: "done" } });
    return result;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    await deps.audit.record({ type: "StaffActionTaken", data: { ...who, result: resultOf(err), detail } }).catch((e) => req.log.error({ err: e }, "action not recorded"));
    throw err;
  }
}
