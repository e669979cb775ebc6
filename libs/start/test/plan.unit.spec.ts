import { describe, expect, it } from "vitest";
import { DEMO_NAMESPACE } from "../src/library.js";
import { consolePlan, gatewayPlan, importPlan, OWN_NAMESPACE, SERVICES, serviceDatabaseUrl, servicePlan } from "../src/plan.js";

const settings = { postgresUrl: "postgres://postgres:secret@db.local:5433/postgres", natsUrl: "nats://n:4222", logLevel: "info", namespace: OWN_NAMESPACE };

describe("the start plan", () => {
  it("gives each service its own database next to the admin URL, keeping the credentials", () => {
    expect(serviceDatabaseUrl(settings.postgresUrl, "loan")).toBe("postgres://postgres:secret@db.local:5433/circulate_loan");
  });

  it("starts the five services with their database, NATS, and databases created on first start", () => {
    const plan = servicePlan(settings);
    expect(plan.map((p) => p.name).sort()).toEqual([...SERVICES].sort());
    const fee = plan.find((p) => p.name === "fee")!;
    expect(fee).toMatchObject({
      entry: "services/fee/src/main.ts",
      readyPort: 9104,
      env: { FEE_POSTGRES_URL: "postgres://postgres:secret@db.local:5433/circulate_fee", NATS_URL: "nats://n:4222", CREATE_DATABASES: "true" },
    });
    expect(new Set(plan.map((p) => p.readyPort)).size).toBe(5);
  });

  it("imports a directory, then runs the gateway on loopback with the demo accounts", () => {
    expect(importPlan(settings, "infra/demo")).toMatchObject({ entry: "libs/import/src/main.ts", args: ["infra/demo"] });
    expect(gatewayPlan(settings)).toMatchObject({
      entry: "services/sip2-gateway/src/main.ts",
      env: { SIP2_ACCOUNTS_FILE: "infra/demo/accounts.yaml", SIP2_HOST: "127.0.0.1", SIP2_PORT: "6001", NATS_URL: "nats://n:4222" },
    });
  });

  it("runs the demo in its own databases, subjects and streams, services and gateway alike", () => {
    const demo = { ...settings, namespace: DEMO_NAMESPACE };
    expect(servicePlan(demo).find((p) => p.name === "loan")?.env).toMatchObject({
      LOAN_POSTGRES_URL: "postgres://postgres:secret@db.local:5433/circulate_demo_loan",
      SUBJECT_PREFIX: "demo",
      STREAM_PREFIX: "DEMO",
    });
    expect(gatewayPlan(demo).env).toMatchObject({ SUBJECT_PREFIX: "demo", STREAM_PREFIX: "DEMO" });
    expect(servicePlan(settings).find((p) => p.name === "loan")?.env).toMatchObject({ SUBJECT_PREFIX: "circ", STREAM_PREFIX: "CIRC" });
  });

  it("runs the staff console on loopback port 7110 with its own database in the namespace, ready on 9110", () => {
    expect(consolePlan(settings)).toMatchObject({
      entry: "services/console/src/main.ts",
      readyPort: 9110,
      env: { CONSOLE_POSTGRES_URL: "postgres://postgres:secret@db.local:5433/circulate_console", CONSOLE_HTTP_HOST: "127.0.0.1", CONSOLE_HTTP_PORT: "7110", SUBJECT_PREFIX: "circ" },
    });
    expect(consolePlan({ ...settings, namespace: DEMO_NAMESPACE }).env).toMatchObject({
      CONSOLE_POSTGRES_URL: "postgres://postgres:secret@db.local:5433/circulate_demo_console",
      SUBJECT_PREFIX: "demo",
      STREAM_PREFIX: "DEMO",
    });
  });
});
