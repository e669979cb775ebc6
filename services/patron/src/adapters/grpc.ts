import { patron as patronApi, uuidv7 } from "@circulate/contracts";
import { type ExtraStatus, type GrpcService, unaryRpc } from "@circulate/service";
import * as grpc from "@grpc/grpc-js";
import type { PatronApp } from "../app/context.js";
import { NotFoundError } from "../app/errors.js";
import { MalformedPinHashError } from "../app/pin-hasher.js";
import { getPatron } from "../get-patron/get-patron.query.js";
import { upsertPatrons } from "../import-patrons/import-patrons.handler.js";
import { listPatronTypes } from "../reference-data/list-patron-types.query.js";
import { upsertInstitutions } from "../reference-data/upsert-institutions.handler.js";
import { upsertPatronTypes } from "../reference-data/upsert-patron-types.handler.js";
import { setCardLost } from "../report-card-lost/set-card-lost.handler.js";
import { staffBlockPatron } from "../block-patron/staff-block.handler.js";
import { unblockPatron } from "../enable-patron/unblock-patron.handler.js";
import { searchPatrons } from "../search-patrons/search-patrons.query.js";
import { unlockPin } from "../unlock-pin/unlock-pin.handler.js";
import { verifyPatron } from "../verify-patron/verify-patron.query.js";

/** Room kept before the caller's deadline to send the answer back. */
const REPLY_MARGIN_MS = 25;

/** The patron service's own errors as statuses; the shared ones are mapped by `unaryRpc`. */
function patronStatusOf(app: PatronApp): ExtraStatus {
  return (err) => {
    if (err instanceof NotFoundError) return { code: grpc.status.NOT_FOUND, details: err.message };
    if (err instanceof MalformedPinHashError) {
      app.logger.error({ err }, "stored PIN hash is malformed");
      return { code: grpc.status.INTERNAL, details: "stored PIN hash unreadable" };
    }
    return undefined;
  };
}

/** The caller's deadline (less a margin to answer), capped by the service's own wait for its projections. */
function answerBy(app: PatronApp, deadline: Date | undefined): Date {
  const callerMs = deadline ? deadline.getTime() - REPLY_MARGIN_MS : Number.POSITIVE_INFINITY;
  return new Date(Math.min(callerMs, Date.now() + app.options.projectionWaitMs));
}

/** `library.patron.v1.Patrons`: queries for peers and the admin API used by imports. */
export function patronsGrpcService(app: PatronApp): GrpcService {
  const extra = patronStatusOf(app);
  const unary = <Req, Res>(rpc: string, fn: (request: Req, deadline: Date | undefined) => Promise<Res>) => unaryRpc(app.logger, rpc, fn, extra);
  const implementation: patronApi.PatronsServer = {
    getPatron: unary("GetPatron", (req: patronApi.GetPatronRequest) => getPatron(app, req)),
    verifyPatron: unary("VerifyPatron", (req: patronApi.VerifyPatronRequest, deadline) => verifyPatron(app, req, answerBy(app, deadline))),
    upsertPatrons: unary("UpsertPatrons", (req) => upsertPatrons(app, req, uuidv7())),
    upsertInstitutions: unary("UpsertInstitutions", (req) => upsertInstitutions(app, req)),
    upsertPatronTypes: unary("UpsertPatronTypes", (req) => upsertPatronTypes(app, req)),
    listPatronTypes: unary("ListPatronTypes", (req) => listPatronTypes(app, req)),
    unlockPin: unary("UnlockPin", async (req) => patronApi.UnlockPinResponse.create({ patron: await unlockPin(app, req, uuidv7()) })),
    setCardLost: unary("SetCardLost", async (req) =>
      patronApi.SetCardLostResponse.create({ patron: await setCardLost(app, req, uuidv7()) }),
    ),
    blockPatron: unary("BlockPatron", async (req) => patronApi.BlockPatronResponse.create({ patron: await staffBlockPatron(app, req, uuidv7()) })),
    unblockPatron: unary("UnblockPatron", async (req) => patronApi.UnblockPatronResponse.create({ patron: await unblockPatron(app, req, uuidv7()) })),
    searchPatrons: unary("SearchPatrons", (req: patronApi.SearchPatronsRequest) => searchPatrons(app, req)),
  };
  return { definition: patronApi.PatronsService, implementation };
}
