/**
 * One checkout (SIP2 11) traced from the gateway's socket read through NATS to
 * the loan service, its peer call, its transaction and the reply, exported over
 * OTLP/HTTP (JSON) to a collector endpoint served by this test.
 */
import { readEnv, startTracing, type Tracing, tracingSettings } from "@circulate/runtime";
import { type OtlpCollector, otlpCollector } from "@circulate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoDeployment, eventually, startDemo } from "./support/gateway.js";
import { Kiosk } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes?: { key: string; value: { stringValue?: string; intValue?: number | string; boolValue?: boolean } }[];
}

/** The spans of every export the collector was sent (OTLP/HTTP JSON). */
const spansOf = (otlp: OtlpCollector): OtlpSpan[] =>
  otlp.requests.flatMap((r) => {
    const body = JSON.parse(r.body.toString("utf8")) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
    return body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  });

const attribute = (span: OtlpSpan | undefined, key: string) => {
  const v = span?.attributes?.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.boolValue ?? v?.intValue;
};

describe("tracing a checkout", () => {
  let demo: DemoDeployment;
  let otlp: OtlpCollector;
  let tracing: Tracing;

  beforeAll(async () => {
    demo = await startDemo();
    otlp = await otlpCollector();
    const e = readEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
    const settings = tracingSettings(e, "circulate-e2e");
    e.done();
    tracing = await startTracing(settings);
  });
  afterAll(async () => {
    await tracing?.shutdown();
    await demo?.stop();
    await otlp?.close();
  });

  it("gives one trace: sip2 11 → publish → handle → peer call, commit → decide, and the reply's delivery", async () => {
    const kiosk = await Kiosk.connect(demo.gateway.tcpPort);
    try {
      expect((await kiosk.ask(rq.login("kiosk1", "kiosk1pw"))).message).toMatchObject({ code: "94", ok: true });
      expect((await kiosk.ask(rq.checkout("P0001", "I0002"))).message).toMatchObject({ code: "12", ok: true });
    } finally {
      kiosk.close();
    }
    // The kiosk has its answer a moment before the service's delivery span ends.
    await eventually(
      async () => {
        await tracing.flush();
        return spansOf(otlp).filter((s) => s.name === "deliver outcome").length;
      },
      (n) => n > 0,
      "the outcome's delivery span",
    );
    const spans = spansOf(otlp);

    const gateway = spans.find((s) => s.name === "sip2 11");
    expect(gateway, spans.map((s) => s.name).join(", ")).toBeDefined();
    const trace = spans.filter((s) => s.traceId === gateway!.traceId);
    const one = (name: string) => {
      const found = trace.filter((s) => s.name === name);
      expect(found.map((s) => s.name), `${name} in ${trace.map((s) => s.name).join(", ")}`).toEqual([name]);
      return found[0]!;
    };
    const publish = one("publish CheckOutItem");
    const handle = one("handle CheckOutItem");
    const commit = one("commit");
    const decide = one("decide");
    const deliver = one("deliver outcome");
    expect(publish.parentSpanId).toBe(gateway!.spanId);
    expect(handle.parentSpanId).toBe(publish.spanId);
    expect(commit.parentSpanId).toBe(handle.spanId);
    expect(decide.parentSpanId).toBe(commit.spanId);
    expect(deliver.parentSpanId).toBe(handle.spanId);

    // The patron check: the loan service's client span, the patron service's server span under it.
    const call = trace.find((s) => s.name.startsWith("call patron."));
    expect(call?.parentSpanId).toBe(handle.spanId);
    const served = trace.find((s) => s.name.startsWith("serve ") && s.parentSpanId === call?.spanId);
    expect(served?.name).toBe(`serve ${call!.name.slice("call patron.".length)}`);

    expect(attribute(gateway, "sip2.message_code")).toBe("11");
    expect(attribute(gateway, "sip2.account")).toBe("kiosk1");
    expect(attribute(gateway, "sip2.outcome")).toBe("accepted");
    expect(attribute(handle, "circulate.outcome")).toBe("accepted");
    expect(attribute(deliver, "circulate.delivered")).toBe(true);
    // The login is its own trace, and no span carries the terminal's password or the patron's PIN.
    expect(spans.find((s) => s.name === "sip2 93")?.traceId).not.toBe(gateway!.traceId);
    const values = spans.flatMap((s) => (s.attributes ?? []).map((a) => String(a.value.stringValue ?? "")));
    expect(values.filter((v) => v === rq.PIN || v.includes("kiosk1pw"))).toEqual([]);
  });
});
