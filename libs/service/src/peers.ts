import { type commands, peerBudgetMs, type ServiceName } from "@circulate/contracts";
import { injectTrace, SpanKind, SpanStatusCode, startSpan, tracingEnabled } from "@circulate/runtime";
import * as grpc from "@grpc/grpc-js";
import { type PeerFailure, PeerUnavailableError } from "./errors.js";
import { peerCallSeconds } from "./metrics.js";
import { metadataSetter } from "./tracing.js";

/**
 * The one deadline convention for calls made on a command's behalf: an
 * absolute instant, the command's deadline less a reserve for our own commit
 * (`peerBudgetMs`), so a peer that uses all its time still leaves us ours.
 */
export function peerDeadline(envelope: Pick<commands.CommandEnvelope, "deadline">, now: Date = new Date(), share = 1): Date {
  return new Date(now.getTime() + Math.floor(peerBudgetMs(envelope, now) * share));
}

type Callback<Res> = (error: grpc.ServiceError | null, response: Res) => void;
/** A generated grpc-js client method, as it is called. */
export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: Callback<Res>,
) => grpc.ClientUnaryCall;

function failureOf(code: grpc.status): PeerFailure {
  if (code === grpc.status.DEADLINE_EXCEEDED) return "deadline";
  return code === grpc.status.NOT_FOUND ? "not_found" : "unavailable";
}

/** One unary call to a peer by the deadline; any failure is a {@link PeerUnavailableError}. */
export function callPeer<Req, Res>(peer: ServiceName, client: grpc.Client, method: UnaryMethod<Req, Res>, request: Req, deadline: Date): Promise<Res> {
  // Generated client methods carry their path, `/library.patron.v1.Patrons/VerifyPatron`.
  const path = (method as { path?: string }).path ?? "";
  const rpc = path.slice(path.lastIndexOf("/") + 1) || "unary";
  const timer = peerCallSeconds.startTimer({ peer, method: rpc });
  const span = tracingEnabled() ? startSpan(`call ${peer}.${rpc}`, { kind: SpanKind.CLIENT }) : undefined;
  const metadata = new grpc.Metadata();
  // The peer's server span joins the command's trace through these headers.
  if (span) injectTrace(metadata, metadataSetter, span);
  return new Promise((resolve, reject) => {
    method.call(client, request, metadata, { deadline }, (err, response) => {
      const result = err ? (grpc.status[err.code] ?? String(err.code)) : "OK";
      timer({ result });
      span?.setAttribute("rpc.grpc.status_code", err ? err.code : 0);
      if (err) span?.setStatus({ code: SpanStatusCode.ERROR, message: result });
      span?.end();
      if (!err) return resolve(response);
      const message = `${grpc.status[err.code] ?? err.code} ${err.details}`;
      reject(new PeerUnavailableError(peer, failureOf(err.code), message, { cause: err }));
    });
  });
}

/** A lookup whose peer answers NOT_FOUND rather than an empty response: undefined, not a failure. */
export async function orNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof PeerUnavailableError && err.kind === "not_found") return undefined;
    throw err;
  }
}
