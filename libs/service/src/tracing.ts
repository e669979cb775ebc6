import { extractTrace, inSpanContext, SpanKind, SpanStatusCode, startSpan, type TextMapGetter, type TextMapSetter, tracingEnabled } from "@circulate/runtime";
import * as grpc from "@grpc/grpc-js";

/** Trace headers into a call's gRPC metadata (the peer's client side). */
export const metadataSetter: TextMapSetter<grpc.Metadata> = {
  set: (metadata, key, value) => metadata.set(key, value),
};

/** Trace headers out of a call's gRPC metadata (the server side). */
export const metadataGetter: TextMapGetter<grpc.Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => {
    const values = metadata.get(key).filter((v): v is string => typeof v === "string");
    return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
  },
};

/**
 * Runs a unary gRPC handler, `handler(call, callback)` as `args`, in a server
 * span `serve <Method>` that is a child of the caller's span (from the call's
 * metadata) and ends when the answer is sent. Without tracing: the handler as is.
 */
export function servedInSpan(path: string, args: unknown[], handler: (...a: unknown[]) => unknown): unknown {
  if (!tracingEnabled() || typeof args[1] !== "function") return handler(...args);
  const call = args[0] as grpc.ServerUnaryCall<unknown, unknown>;
  const span = startSpan(`serve ${path.slice(path.lastIndexOf("/") + 1)}`, { kind: SpanKind.SERVER, parent: extractTrace(call.metadata, metadataGetter) });
  span.setAttribute("rpc.system", "grpc");
  span.setAttribute("rpc.method", path);
  const callback = args[1] as (err: Partial<grpc.StatusObject> | null, ...rest: unknown[]) => void;
  args[1] = (err: Partial<grpc.StatusObject> | null, ...rest: unknown[]) => {
    const code = err ? (err.code ?? grpc.status.UNKNOWN) : grpc.status.OK;
    span.setAttribute("rpc.grpc.status_code", code);
    if (err) span.setStatus({ code: SpanStatusCode.ERROR, message: grpc.status[code] ?? String(code) });
    span.end();
    callback(err, ...rest);
  };
  return inSpanContext(span, () => handler(...args));
}
