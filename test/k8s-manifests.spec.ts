/**
 * infra/k8s: every manifest of the base and of each overlay is a valid Kubernetes object
 * (kubernetes-models' schemas), every environment variable a Deployment sets is one its process
 * reads, every port and probe matches what the process serves, and the network policies let
 * only the ingress controller reach the staff console and the console reach only what it needs.
 */
import { consoleSettings } from "@circulate/console";
import { feeSettings } from "@circulate/fee";
import { holdSettings } from "@circulate/hold";
import { loanSettings } from "@circulate/loan";
import { patronSettings } from "@circulate/patron";
import { type ConfigError, type EnvReader, readEnv, startOpsServer } from "@circulate/runtime";
import { SERVICE_NAMES, type ServiceName } from "@circulate/contracts";
import { serviceConfig } from "@circulate/service";
import { gatewayConfigFromEnv } from "@circulate/sip2-gateway";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Secret, Service } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { type Container, containersOf, type K8sObject, render } from "./support/kustomize.js";

const K8S = new URL("../infra/k8s/", import.meta.url).pathname;
const renders = { base: render(`${K8S}base`), dev: render(`${K8S}overlays/dev`), production: render(`${K8S}overlays/production`) };

const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
};

const SETTINGS: Partial<Record<ServiceName, (e: EnvReader) => unknown>> = {
  fee: feeSettings,
  hold: holdSettings,
  loan: loanSettings,
  patron: patronSettings,
};

/** The environment a container gets: its ConfigMap's data and its own values (a Secret's as a placeholder). */
function environment(objects: K8sObject[], c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const map = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === from.configMapRef?.name);
    Object.assign(env, (map as { data?: Record<string, string> } | undefined)?.data);
  }
  for (const e of c.env ?? []) env[e.name] = e.value ?? "from-a-secret-or-the-pod";
  return env;
}

/** Every variable the process's configuration reads, and the configuration it makes of `env`. */
function configOf(name: string, env: Record<string, string>) {
  const read = new Set<string>();
  const recorded = new Proxy(env, {
    get: (target, key) => {
      if (typeof key === "string") read.add(key);
      return target[key as string];
    },
  });
  if (name === "sip2-gateway") {
    try {
      return { read, config: gatewayConfigFromEnv(recorded) };
    } catch (err) {
      // The accounts and TLS files live in the pod, not here: only those may be missing.
      const problems = (err as ConfigError).problems.filter((p) => !/no such file/.test(p));
      expect(problems).toEqual([]);
      return { read, config: undefined };
    }
  }
  const e = readEnv(recorded);
  if (name === "console") {
    const config = consoleSettings(e);
    e.done();
    return { read, config };
  }
  const config = serviceConfig(name as ServiceName, e);
  SETTINGS[name as ServiceName]?.(e);
  e.done();
  return { read, config };
}

describe.each(Object.entries(renders))("Kubernetes manifests, %s", (_, objects) => {
  it("are valid objects of their kind", () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const o of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, `${o.kind} ${o.metadata.name}`).toBeDefined();
      expect(() => new Model!(o as never).validate(), `${o.kind} ${o.metadata.name}`).not.toThrow();
    }
  });

  it("set only environment variables their process reads, with values it accepts", () => {
    const deployments = objects.filter((o) => o.kind === "Deployment");
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...SERVICE_NAMES, "sip2-gateway", "console"].sort());
    for (const d of deployments) {
      for (const c of containersOf(d)) {
        const env = environment(objects, c);
        const { read } = configOf(d.metadata.name, env);
        // POD_IP exists only to be substituted into another value.
        const unread = Object.keys(env).filter((name) => !read.has(name) && !(name === "POD_IP" && Object.values(env).some((v) => v.includes("$(POD_IP)"))));
        expect(unread, d.metadata.name).toEqual([]);
      }
    }
  });

  it("expose the ports the processes listen on, probe /healthz and /readyz, and stop after the drain", () => {
    for (const d of objects.filter((o) => o.kind === "Deployment")) {
      const c = containersOf(d)[0]!;
      const { config } = configOf(d.metadata.name, environment(objects, c));
      const port = (name: string) => c.ports?.find((p) => p.name === name)?.containerPort;
      if (d.metadata.name === "sip2-gateway") {
        const env = environment(objects, c);
        expect([port("sip2"), port("sip2-tls"), port("reply-sink"), port("ops")]).toEqual([6001, 6002, 7100, 9100]);
        expect([env.SIP2_PORT, env.SIP2_TLS_PORT, env.GATEWAY_GRPC_PORT, env.GATEWAY_OPS_PORT]).toEqual(["6001", "6002", "7100", "9100"]);
      } else if (d.metadata.name === "console") {
        const cfg = config as ReturnType<typeof consoleSettings>;
        expect([port("http"), port("ops")]).toEqual([cfg.httpPort, cfg.opsPort]);
        expect(cfg.httpHost, "HTTP must listen beyond the pod's loopback").toBe("0.0.0.0");
        // The image's page, served at / (the manifests set no CONSOLE_WEB_DIR).
        expect(environment(objects, c).CONSOLE_WEB_DIR).toBeUndefined();
        // Counted in memory and run in the process: see console.yaml.
        expect((d.spec as { replicas: number }).replicas).toBe(1);
      } else {
        const cfg = config as ReturnType<typeof serviceConfig>;
        expect([port("grpc"), port("ops")], d.metadata.name).toEqual([cfg.grpcPort, cfg.opsPort]);
        expect(cfg.grpcHost, "gRPC must listen beyond the pod's loopback").toBe("0.0.0.0");
      }
      expect(c.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "ops" });
      expect(c.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "ops" });
      const grace = ((d.spec as { template: { spec: { terminationGracePeriodSeconds: number } } }).template.spec.terminationGracePeriodSeconds ?? 30) * 1000;
      const drain = Number(environment(objects, c).SHUTDOWN_GRACE_MS ?? 15_000);
      const pause = Number(c.lifecycle?.preStop?.exec?.command.at(-1) ?? 0) * 1000;
      expect(grace, d.metadata.name).toBeGreaterThan(drain + pause);
    }
  });

  it("route Services to named container ports, and only the gateway's SIP2 ports from outside", () => {
    const deployments = objects.filter((o) => o.kind === "Deployment");
    for (const s of objects.filter((o) => o.kind === "Service")) {
      const spec = s.spec as { type?: string; selector: Record<string, string>; ports: { targetPort: string }[] };
      const d = deployments.find((x) => x.metadata.name === spec.selector["app.kubernetes.io/name"]);
      expect(d, s.metadata.name).toBeDefined();
      const names = containersOf(d!).flatMap((c) => (c.ports ?? []).map((p) => p.name));
      for (const p of spec.ports) expect(names, s.metadata.name).toContain(p.targetPort);
      if (spec.type === "LoadBalancer") expect(s.metadata.name).toBe("sip2-gateway");
    }
  });

  it("let only the ingress controller reach the console's HTTP port and the console reach the services' gRPC, NATS, Postgres and DNS", () => {
    const pods = new Map(objects.filter((o) => o.kind === "Deployment").map((d) => [d.metadata.name, podLabels(d)]));
    const consolePod = pods.get("console")!;
    const container = (name: string) => containersOf(objects.find((o) => o.kind === "Deployment" && o.metadata.name === name)!)[0]!;
    const grpc = (name: string) => Number(environment(objects, container(name))[`${name.toUpperCase()}_GRPC_PORT`]);
    const policies = objects.filter((o) => o.kind === "NetworkPolicy") as unknown as Policy[];

    // Ingress: a default deny; then, of the ports it listens on, 7110 from the ingress controller's
    // namespace and 9110 from monitoring; every opening for a namespace, never for everyone or for
    // any pod of this namespace.
    const ingress = policies.filter((p) => p.spec.policyTypes.includes("Ingress") && selects(p.spec.podSelector, consolePod));
    expect(ingress.some((p) => (p.spec.ingress ?? []).length === 0)).toBe(true);
    const opened = ingress.flatMap((p) => (p.spec.ingress ?? []).flatMap((r) => (r.ports ?? [{ port: "any" }]).map((port) => ({ port: port.port, from: r.from }))));
    for (const o of opened) {
      expect(o.from?.length, `port ${o.port}`).toBeGreaterThan(0);
      for (const f of o.from!) expect(Object.keys(f), `port ${o.port}`).toEqual(["namespaceSelector"]);
    }
    const namespaces = (port: number) =>
      opened.filter((o) => o.port === port).flatMap((o) => o.from!.map((f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"]));
    const listening = (container("console").ports ?? []).map((p) => p.containerPort);
    expect(listening.sort()).toEqual([7110, 9110]);
    expect(namespaces(7110)).toEqual(["ingress-nginx"]);
    expect(namespaces(9110)).toEqual(["monitoring"]);

    // Every service admits the console on its gRPC port.
    for (const service of SERVICE_NAMES) {
      const admits = policies.some(
        (p) => selects(p.spec.podSelector, pods.get(service)!) && (p.spec.ingress ?? []).some((r) => r.from?.some((f) => f.podSelector && selects(f.podSelector, consolePod)) && r.ports?.some((x) => x.port === grpc(service))),
      );
      expect(admits, service).toBe(true);
    }

    // Egress: the services' gRPC (to their pods only), NATS, Postgres and DNS.
    const egress = policies.filter((p) => p.spec.policyTypes.includes("Egress") && selects(p.spec.podSelector, consolePod)).flatMap((p) => p.spec.egress ?? []);
    expect(egress.flatMap((r) => (r.ports ?? [{ port: "any" }]).map((x) => x.port)).sort()).toEqual([...SERVICE_NAMES.map(grpc), 4222, 5432, 53, 53].sort());
    for (const r of egress.filter((r) => r.ports?.some((x) => SERVICE_NAMES.map(grpc).includes(x.port as number)))) {
      for (const t of r.to ?? [{}]) expect(SERVICE_NAMES.some((s) => t.podSelector && selects(t.podSelector, pods.get(s)!)) && ![...pods.keys()].filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n)).some((n) => selects(t.podSelector!, pods.get(n)!))).toBe(true);
    }
  });
});

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
type Peer = { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: unknown };
type Rule = { from?: Peer[]; to?: Peer[]; ports?: { port: number | string; protocol?: string }[] };
type Policy = K8sObject & { spec: { podSelector: Selector; policyTypes: string[]; ingress?: Rule[]; egress?: Rule[] } };

/** The labels of a Deployment's pods. */
function podLabels(d: K8sObject): Record<string, string> {
  return (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
}

/** Whether a label selector (matchLabels, and matchExpressions with In) selects pods with these labels. */
function selects(s: Selector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (s.matchExpressions ?? []).every((x) => {
    if (x.operator !== "In") throw new Error(`selector operator ${x.operator} is not read here`);
    return x.values?.includes(labels[x.key] ?? "") ?? false;
  });
  return byLabels && byExpressions;
}

describe("the ops server the probes reach", () => {
  it("answers /healthz and /readyz", async () => {
    const ops = await startOpsServer({ host: "127.0.0.1", port: 0 });
    try {
      expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${ops.url}/readyz`)).status).toBe(200);
    } finally {
      await ops.close();
    }
  });
});
