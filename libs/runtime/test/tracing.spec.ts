import { type OtlpCollector, otlpCollector } from "@circulate/testing";
import { trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConfigError,
  contextFromHeaders,
  currentTraceHeaders,
  inSpan,
  readEnv,
  startSpan,
  startTracing,
  type Tracing,
  tracingEnabled,
  tracingSettings,
} from "../src/index.js";

function settingsOf(env: NodeJS.ProcessEnv) {
  const e = readEnv(env);
  const settings = tracingSettings(e, "loan");
  e.done();
  return settings;
}

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    settingsOf(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

let running: Tracing | undefined;
let receiver: OtlpCollector | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
  await receiver?.close();
  receiver = undefined;
});

describe("tracing settings", () => {
  it("leaves tracing off when nothing is configured", () => {
    expect(settingsOf({}).exporters).toEqual([]);
  });

  it("exports to the endpoint's traces path, or to the traces endpoint as given", () => {
    expect(settingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }).otlp).toEqual({
      url: "http://collector:4318/v1/traces",
      protocol: "http/protobuf",
    });
    const traces = settingsOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://ignored:4318",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://collector.example/otlp/traces",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    });
    expect(traces.otlp).toEqual({ url: "https://collector.example/otlp/traces", protocol: "http/json" });
    expect(traces.exporters).toEqual(["otlp"]);
  });

  it("names the service by OTEL_SERVICE_NAME when set, and lets none switch every exporter off", () => {
    const s = settingsOf({ OTEL_TRACES_EXPORTER: "console", OTEL_SERVICE_NAME: "loan-eu" });
    expect(s).toMatchObject({ serviceName: "loan-eu", exporters: ["console"] });
    expect(settingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" }).exporters).toEqual([]);
    expect(settingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" }).exporters).toEqual([]);
  });

  it("reports every bad OTEL value at once, as configuration problems", () => {
    expect(
      problemsOf({
        OTEL_TRACES_EXPORTER: "otlp,jaeger",
        OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4317",
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
        OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "1.5",
      }),
    ).toEqual([
      'OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" is not one of http/protobuf, http/json',
      'OTEL_TRACES_SAMPLER_ARG: "1.5" is not a ratio between 0 and 1',
      'OTEL_TRACES_EXPORTER: "jaeger" is not one of otlp, console, none',
      'OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4317" is not an http(s) URL (OTLP is exported over HTTP)',
    ]);
  });
});

describe("tracing", () => {
  it("registers no provider when not configured: spans are the no-op and messages carry no trace context", async () => {
    running = await startTracing(settingsOf({}));
    expect(running.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    const span = startSpan("sip2 11");
    expect(span.isRecording()).toBe(false);
    expect(span).toBe(startSpan("sip2 09"));
    expect(trace.getTracer("any").startSpan("x").isRecording()).toBe(false);
    await inSpan("handle CheckOutItem", async () => expect(currentTraceHeaders()).toBeUndefined());
  });

  it("exports one trace over OTLP/HTTP JSON, parent links intact across a message's trace headers, and flushes on shutdown", async () => {
    const collector = await otlpCollector();
    receiver = collector;
    running = await startTracing(settingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }));
    expect(running.enabled).toBe(true);
    const headers = await inSpan("publish CheckOutItem", async () => currentTraceHeaders());
    expect(headers?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await inSpan("handle CheckOutItem", async () => inSpan("commit", async () => undefined), { parent: contextFromHeaders(headers ?? {}) });
    expect(collector.requests).toEqual([]);
    await running.shutdown();
    expect(tracingEnabled()).toBe(false);

    expect(collector.requests.map((r) => r.path)).toEqual(["/v1/traces"]);
    const body = JSON.parse(collector.requests[0]!.body.toString("utf8"));
    const resource = body.resourceSpans[0];
    expect(resource.resource.attributes).toContainEqual({ key: "service.name", value: { stringValue: "loan" } });
    const spans: { name: string; traceId: string; spanId: string; parentSpanId?: string }[] = resource.scopeSpans.flatMap(
      (s: { spans: unknown[] }) => s.spans,
    );
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(["commit", "handle CheckOutItem", "publish CheckOutItem"]);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(byName["handle CheckOutItem"]?.parentSpanId).toBe(byName["publish CheckOutItem"]?.spanId);
    expect(byName.commit?.parentSpanId).toBe(byName["handle CheckOutItem"]?.spanId);
  });

  it("exports protobuf by default", async () => {
    const collector = await otlpCollector();
    receiver = collector;
    running = await startTracing(settingsOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/custom/traces` }));
    await inSpan("deliver outcome", async () => undefined);
    await running.shutdown();
    expect(collector.requests).toHaveLength(1);
    expect(collector.requests[0]).toMatchObject({ path: "/custom/traces", headers: { "content-type": "application/x-protobuf" } });
    expect(collector.requests[0]!.body.includes(Buffer.from("deliver outcome"))).toBe(true);
  });
});
