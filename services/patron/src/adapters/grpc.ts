import { patron as patronApi, uuidv7 } from "@circulate/contracts";
import { DeadlineExceededError } from "@circulate/eventstore";
import { type GrpcService, ProjectionBehindError } from "@circulate/service";
import * as grpc from "@grpc/grpc-js";
import type { PatronApp } from "../app/context.js";
import { InvalidArgumentError, NotFoundError } from "../app/errors.js";
import { timeZoneOf } from "../app/facts.js";
import { upsertPatrons } from "../app/import-patrons.js";
import { findPatron, findPatronById } from "../app/patron-lookup.js";
import { patronMessage } from "../app/patron.view.js";
import { MalformedPinHashError } from "../app/pin-hasher.js";
import { listPatronTypes, upsertInstitutions, upsertPatronTypes } from "../app/reference-data.js";
import { setCardLost, unlockPin } from "../app/staff.js";
import { verifyPatron } from "../app/verify-patron.query.js";

/** Room kept before the caller's deadline to send the answer back. */
const REPLY_MARGIN_MS = 25;

/** Typed errors → gRPC status; anything else is INTERNAL with a generic message (details in the log). */
function toServiceError(app: PatronApp, method: string, err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof InvalidArgumentError) return { code: grpc.status.INVALID_ARGUMENT, details: err.message };
  if (err instanceof NotFoundError) return { code: grpc.status.NOT_FOUND, details: err.message };
  // The loan or fee projections could not catch up in time: as when those services did not answer.
  if (err instanceof ProjectionBehindError) return { code: grpc.status.UNAVAILABLE, details: err.message };
  if (err instanceof DeadlineExceededError) return { code: grpc.status.DEADLINE_EXCEEDED, details: "deadline passed before commit" };
  if (err instanceof MalformedPinHashError) {
    app.logger.error({ err, method }, "stored PIN hash is malformed");
    return { code: grpc.status.INTERNAL, details: "stored PIN hash unreadable" };
  }
  app.logger.error({ err, method }, "gRPC call failed");
  return { code: grpc.status.INTERNAL, details: "internal error" };
}

function unary<Req, Res>(
  app: PatronApp,
  method: string,
  fn: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    fn(call.request, call).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toServiceError(app, method, err)),
    );
  };
}

/** The caller's deadline (less a margin to answer), capped by the service's own wait for its projections. */
function callDeadline(app: PatronApp, call: grpc.ServerUnaryCall<unknown, unknown>): Date {
  const d = call.getDeadline();
  const callerMs = d instanceof Date ? d.getTime() : d;
  return new Date(Math.min(callerMs - REPLY_MARGIN_MS, Date.now() + app.options.projectionWaitMs));
}

/** `library.patron.v1.Patrons`: queries for peers and the admin API used by imports. */
export function patronsGrpcService(app: PatronApp): GrpcService {
  const implementation: patronApi.PatronsServer = {
    getPatron: unary(app, "GetPatron", async (req) => {
      const key = req.key;
      const row =
        key?.$case === "patron" ? await findPatron(app.db, key.value) : key?.$case === "patronId" ? await findPatronById(app.db, key.value) : undefined;
      if (!key) throw new InvalidArgumentError("patron or patron_id is required");
      if (!row) return patronApi.GetPatronResponse.create({});
      const zone = await timeZoneOf(app.db, app.options, [row.home_institution, row.institution_id]);
      return patronApi.GetPatronResponse.create({ patron: patronMessage(row, zone) });
    }),
    verifyPatron: unary(app, "VerifyPatron", (req, call) => verifyPatron(app, req, callDeadline(app, call))),
    upsertPatrons: unary(app, "UpsertPatrons", (req) => upsertPatrons(app, req, uuidv7())),
    upsertInstitutions: unary(app, "UpsertInstitutions", (req) => upsertInstitutions(app, req)),
    upsertPatronTypes: unary(app, "UpsertPatronTypes", (req) => upsertPatronTypes(app, req)),
    listPatronTypes: unary(app, "ListPatronTypes", (req) => listPatronTypes(app, req)),
    unlockPin: unary(app, "UnlockPin", async (req) => patronApi.UnlockPinResponse.create({ patron: await unlockPin(app, req, uuidv7()) })),
    setCardLost: unary(app, "SetCardLost", async (req) =>
      patronApi.SetCardLostResponse.create({ patron: await setCardLost(app, req, uuidv7()) }),
    ),
  };
  return { definition: patronApi.PatronsService, implementation };
}
