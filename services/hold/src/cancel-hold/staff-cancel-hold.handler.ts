import { hold as holdpb, uuidv7 } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { holdById } from "../adapters/holds.repository.js";
import type { HoldDeps } from "../app/command.support.js";
import { runOnQueue } from "../app/queue.runner.js";
import { type HoldView, toProtoHold } from "../app/queue.state.js";
import { type ClosedAs, decideStaffCancelHold } from "./cancel-hold.decider.js";

/** The hold is unknown (gRPC NOT_FOUND), or it ended otherwise (FAILED_PRECONDITION). */
export class StaffCancelRefusedError extends Error {
  override readonly name = "StaffCancelRefusedError";
  constructor(
    readonly kind: "not_found" | "failed_precondition",
    message: string,
  ) {
    super(message);
  }
}

function closedAs(view: HoldView | undefined): ClosedAs {
  switch (view?.status) {
    case holdpb.HoldStatus.CANCELLED:
      return "cancelled";
    case holdpb.HoldStatus.FULFILLED:
      return "fulfilled";
    case holdpb.HoldStatus.EXPIRED:
      return "expired";
    default:
      return null;
  }
}

/**
 * `Holds.CancelHold`: staff cancel a hold by id with the rule of 15 `-`,
 * recorded with who and why. A copy trapped for it is released as a 15 `-`
 * releases it. Cancelling it again answers the cancelled hold and records nothing.
 */
export async function staffCancelHold(deps: HoldDeps, req: holdpb.CancelHoldRequest): Promise<holdpb.CancelHoldResponse> {
  const problems = [
    ...(req.holdId === "" ? ["hold_id is required"] : []),
    ...(req.staff.trim() === "" ? ["staff is required: who cancels the hold is recorded"] : []),
    ...(req.reason.trim() === "" ? ["reason is required: it is recorded with the cancellation"] : []),
  ];
  if (problems.length > 0) throw new InvalidArgumentError(problems);
  const row = await holdById(deps.db, req.holdId);
  if (!row) throw new StaffCancelRefusedError("not_found", `no hold ${req.holdId}`);
  const key = { institution: row.institution_id, titleId: row.title_id };
  const hold = { patronKey: row.patron_key, institution: row.institution_id, titleKey: row.title_id, holdId: row.hold_id };
  const { state, appended } = await runOnQueue(
    deps.db,
    key,
    (queue) => {
      const d = decideStaffCancelHold({ hold, staff: req.staff, reason: req.reason }, queue.queue, closedAs(queue.views.get(row.hold_id)));
      if (d.outcome === "refused")
        throw new StaffCancelRefusedError(d.reason === "hold_closed" ? "failed_precondition" : "not_found", d.detail ?? d.reason);
      return { events: d.events, outcome: null, at: deps.now() };
    },
    { institution: row.institution_id, correlationId: uuidv7() },
  );
  if (appended > 0) deps.eventsCommitted();
  const view = state.views.get(row.hold_id);
  return { hold: view ? toProtoHold(state, view) : undefined };
}
