import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type E2eGateway, startE2eGateway } from "./support/gateway.js";
import { type Stack, startStack } from "./support/stack.js";

const MONITORING = new URL("../infra/monitoring/", import.meta.url);
const rules = parse(readFileSync(new URL("alerts.yaml", MONITORING), "utf8")) as {
  groups: { name: string; rules: { alert: string; expr: string; for?: string; labels: Record<string, string>; annotations: Record<string, string> }[] }[];
};
const dashboard = JSON.parse(readFileSync(new URL("circulate.dashboard.json", MONITORING), "utf8")) as {
  panels: { id: number; title: string; targets: { expr: string }[] }[];
};
const alerts = rules.groups.flatMap((g) => g.rules);
const expressions = [...alerts.map((a) => a.expr), ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))];

/** Metric names a scrape declares (`# TYPE`), with the series a histogram adds. */
function exportedNames(scrape: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of scrape.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${name}${suffix}`);
  }
  return names;
}

describe("dashboard and alert rules (infra/monitoring)", () => {
  let stack: Stack;
  let gateway: E2eGateway;
  beforeAll(async () => {
    stack = await startStack();
    gateway = await startE2eGateway(stack);
  });
  afterAll(async () => {
    await gateway?.stop();
    await stack?.stop();
  });

  it("use only metrics the gateway and the services export", async () => {
    const urls = [gateway.gateway.ops.url, ...Object.values(stack.services).map((s) => s.ops.url)];
    const exported = new Set<string>();
    for (const url of urls) for (const name of exportedNames(await (await fetch(`${url}/metrics`)).text())) exported.add(name);
    const used = new Set(expressions.flatMap((e) => [...e.matchAll(/\b(?:sip2|circulate)_[a-z0-9_]+\b/g)].map((m) => m[0])));
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });

  it("alert on a silent kiosk, its printer, a backend down, relay and copy lag, and slow answers", () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual(
      [
        "CommandsFailing",
        "DecisionLatencyHigh",
        "KioskLatencyHigh",
        "KioskPrinterOutOfPaper",
        "KioskShuttingDown",
        "KioskSilent",
        "ProcessDown",
        "ProjectionLagging",
        "RelayDatabaseUnreachable",
        "RelayLagging",
        "ServiceDownForGateway",
      ].sort(),
    );
    for (const a of alerts) {
      expect(a.labels.severity, a.alert).toMatch(/^(info|warning|critical)$/);
      expect(a.annotations.summary, a.alert).toBeTruthy();
      expect(a.for, a.alert).toMatch(/^\d+m$/);
    }
  });

  it("is a dashboard Grafana can load: unique panel ids, a query in every panel", () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) expect(p.targets.length, p.title).toBeGreaterThan(0);
  });
});
