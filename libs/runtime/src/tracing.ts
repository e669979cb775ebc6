import {
  type Context,
  context,
  DiagLogLevel,
  diag,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from "@opentelemetry/api";
import type { Sampler, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { Logger } from "pino";
import type { TracingSettings } from "./tracing-settings.js";

export { type Context, type Span, SpanKind, SpanStatusCode, type TextMapGetter, type TextMapSetter };

/** Instrumentation scope of every Circulate span. */
const SCOPE = "circulate";

/**
 * Whether a tracer provider is registered. While false every helper below
 * returns at once with the shared no-op span: a process that does not trace
 * pays no allocation per request for it.
 */
let enabled = false;
const NOOP_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** The W3C trace context headers, as carried in a command envelope. */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

/** A started tracer provider; `shutdown` flushes the spans not exported yet and returns the API to the no-op. */
export interface Tracing {
  readonly enabled: boolean;
  /** Exports the spans ended so far now, without waiting for the next batch. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** True while this process traces. */
export function tracingEnabled(): boolean {
  return enabled;
}

async function samplerOf(settings: TracingSettings): Promise<Sampler> {
  const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = await import("@opentelemetry/sdk-trace-base");
  switch (settings.sampler) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(settings.samplerRatio);
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.samplerRatio) });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

async function processorsOf(settings: TracingSettings): Promise<SpanProcessor[]> {
  const { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  const processors: SpanProcessor[] = [];
  if (settings.exporters.includes("console")) processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  if (settings.exporters.includes("otlp") && settings.otlp) {
    const { url, protocol } = settings.otlp;
    const { OTLPTraceExporter } =
      protocol === "http/json" ? await import("@opentelemetry/exporter-trace-otlp-http") : await import("@opentelemetry/exporter-trace-otlp-proto");
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  }
  return processors;
}

/**
 * Registers a tracer provider, the W3C trace-context propagator and an
 * AsyncLocalStorage context manager, but only when the settings name an
 * exporter; otherwise (or without settings) nothing is loaded and the API stays the no-op. The SDK
 * is imported here, not at the top, so a process that does not trace never
 * loads it. Export failures are logged as warnings through `logger`.
 */
export async function startTracing(settings: TracingSettings | undefined, logger?: Logger): Promise<Tracing> {
  if (settings === undefined || settings.exporters.length === 0) return { enabled: false, flush: async () => {}, shutdown: async () => {} };
  if (enabled) throw new Error("tracing is already started in this process");
  const [{ BasicTracerProvider }, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/context-async-hooks"),
    import("@opentelemetry/core"),
    import("@opentelemetry/resources"),
  ]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": settings.serviceName }),
    sampler: await samplerOf(settings),
    spanProcessors: await processorsOf(settings),
  });
  if (logger) {
    const log = logger.child({ component: "tracing" });
    diag.setLogger(
      {
        error: (message, ...args) => log.warn({ args }, message),
        warn: (message, ...args) => log.warn({ args }, message),
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      DiagLogLevel.WARN,
    );
  }
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  enabled = true;
  let stopping: Promise<void> | undefined;
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
    shutdown: () => {
      stopping ??= provider.shutdown().finally(() => {
        enabled = false;
        trace.disable();
        context.disable();
        propagation.disable();
        diag.disable();
      });
      return stopping;
    },
  };
}

/**
 * Starts a span, a child of `parent` (default: the active context). Not made
 * active: run code inside it with {@link inSpanContext}. The caller ends it.
 */
export function startSpan(name: string, options: { kind?: SpanKind; parent?: Context; startTime?: number } = {}): Span {
  if (!enabled) return NOOP_SPAN;
  return trace.getTracer(SCOPE).startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, startTime: options.startTime }, options.parent ?? context.active());
}

/** Runs `fn` with `span` as the active span, so spans started inside are its children. */
export function inSpanContext<T>(span: Span, fn: () => T): T {
  if (!enabled) return fn();
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** Marks a span failed with the error's type and message. */
export function spanFailed(span: Span, err: unknown): void {
  if (!enabled) return;
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/**
 * Runs `fn` in a new active span that ends when it settles; a throw marks the
 * span failed and is rethrown. `parent` replaces the active context (a
 * context extracted from a message).
 */
export async function inSpan<T>(name: string, fn: (span: Span) => Promise<T>, options: { kind?: SpanKind; parent?: Context } = {}): Promise<T> {
  if (!enabled) return fn(NOOP_SPAN);
  const parent = options.parent ?? context.active();
  const span = startSpan(name, { ...options, parent });
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    spanFailed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Writes the trace headers of `span` (default: the active span) into
 * `carrier` through `setter`; nothing when not tracing.
 */
export function injectTrace<C>(carrier: C, setter: TextMapSetter<C>, span?: Span): void {
  if (!enabled) return;
  propagation.inject(span ? trace.setSpan(context.active(), span) : context.active(), carrier, setter);
}

/** The context named by `carrier`'s trace headers, read through `getter`; the root context when absent or not tracing. */
export function extractTrace<C>(carrier: C, getter: TextMapGetter<C>): Context {
  if (!enabled) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier, getter);
}

const headersSetter: TextMapSetter<TraceHeaders> = {
  set: (carrier, key, value) => {
    if (key === "traceparent" || key === "tracestate") carrier[key] = value;
  },
};
const headersGetter: TextMapGetter<TraceHeaders> = {
  keys: () => ["traceparent", "tracestate"],
  get: (carrier, key) => (key === "traceparent" ? carrier.traceparent : key === "tracestate" ? carrier.tracestate : undefined) || undefined,
};

/** The `traceparent`/`tracestate` of `span` (default: the active span), for a message; undefined when not tracing. */
export function currentTraceHeaders(span?: Span): TraceHeaders | undefined {
  if (!enabled) return undefined;
  const headers: TraceHeaders = {};
  injectTrace(headers, headersSetter, span);
  return headers;
}

/** The context a message's `traceparent`/`tracestate` name (e.g. a command envelope's). */
export function contextFromHeaders(headers: TraceHeaders): Context {
  return extractTrace(headers, headersGetter);
}
