import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { promisify } from "node:util";
import { createTestNats, freePort, type OtlpCollector, otlpCollector, type TestNats } from "@circulate/testing";
import { afterEach, describe, expect, it } from "vitest";
import { WireClient } from "./wire.js";

const main = path.resolve(import.meta.dirname, "../src/main.ts");
const accounts = path.resolve(import.meta.dirname, "../../../infra/demo/accounts.yaml");
const NODE_ARGS = ["--conditions=@circulate/source", "--import", "tsx", main];

interface Export {
  readonly path: string;
  readonly body: {
    resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { name: string }[] }[] }[];
  };
  readonly raw: string;
}

/** What the collector was sent, each export read as the JSON it is. */
const exportsOf = (otlp: OtlpCollector): Export[] =>
  otlp.requests.map((r) => {
    const raw = r.body.toString("utf8");
    return { path: r.path, body: JSON.parse(raw) as Export["body"], raw };
  });


async function connectWhenListening(port: number, child: ChildProcess): Promise<WireClient> {
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      return await WireClient.connect(port);
    } catch (err) {
      if (child.exitCode !== null || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

let child: ChildProcess | undefined;
let nats: TestNats | undefined;
let receiver: OtlpCollector | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  child = undefined;
  await receiver?.close();
  await nats?.cleanup();
  nats = undefined;
});

describe("the gateway process's tracing", () => {
  it("exports its spans over OTLP when configured, the last ones flushed on SIGTERM", async () => {
    const otlp = await otlpCollector();
    receiver = otlp;
    nats = createTestNats();
    const port = await freePort();
    child = spawn(process.execPath, NODE_ARGS, {
      env: {
        PATH: process.env.PATH,
        SIP2_ACCOUNTS_FILE: accounts,
        SIP2_HOST: "127.0.0.1",
        SIP2_PORT: String(port),
        SIP2_TLS_PORT: "0",
        GATEWAY_GRPC_PORT: "0",
        GATEWAY_OPS_PORT: "0",
        NATS_URL: nats.url,
        SUBJECT_PREFIX: nats.subjectPrefix,
        STREAM_PREFIX: nats.streamPrefix,
        LOG_LEVEL: "warn",
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_SERVICE_NAME: "sip2-gateway-test",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const kiosk = await connectWhenListening(port, child);
    kiosk.send("9300CNkiosk1|COnot-the-password|CPMAIN|\r");
    expect((await kiosk.replies(1))[0]?.body.toString("latin1")).toBe("940");
    kiosk.close();
    // The batch waits seconds before exporting: only the shutdown's flush sends it this soon.
    expect(exportsOf(otlp)).toEqual([]);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);

    expect(exportsOf(otlp).map((e) => e.path)).toEqual(["/v1/traces"]);
    const resource = exportsOf(otlp)[0]!.body.resourceSpans[0]!;
    expect(resource.resource.attributes).toContainEqual({ key: "service.name", value: { stringValue: "sip2-gateway-test" } });
    expect(resource.scopeSpans.flatMap((s) => s.spans.map((span) => span.name))).toEqual(["sip2 93"]);
    expect(exportsOf(otlp)[0]!.raw).not.toContain("not-the-password");
  });

  it("refuses a bad OTEL setting as a configuration error, exit 78", async () => {
    const result = await promisify(execFile)(process.execPath, NODE_ARGS, {
      env: { PATH: process.env.PATH, SIP2_ACCOUNTS_FILE: accounts, OTEL_TRACES_EXPORTER: "zipkin", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(result.code).toBe(78);
    expect(result.stderr).toBe(
      'invalid configuration:\n  OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" is not one of http/protobuf, http/json\n  OTEL_TRACES_EXPORTER: "zipkin" is not one of otlp, console, none\n',
    );
  });
});
