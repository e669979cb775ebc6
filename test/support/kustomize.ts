import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, parseAllDocuments } from "yaml";

/** A Kubernetes object as read from a manifest. */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<
  string,
  unknown
>;

type Op = { op: "replace" | "add"; path: string; value: unknown };
interface Kustomization {
  resources?: string[];
  namespace?: string;
  labels?: { pairs: Record<string, string> }[];
  images?: { name: string; newTag: string }[];
  patches?: { target: { kind: string; name: string }; patch: string }[];
}

const KNOWN = new Set(["apiVersion", "kind", "resources", "namespace", "labels", "images", "patches"]);

/**
 * Renders a kustomization the way `kubectl kustomize` does for the features
 * infra/k8s uses (resources, namespace, labels without selectors, image tags,
 * JSON 6902 replace/add patches); any other feature is refused, so a manifest
 * cannot rely on something this rendering (and so the test) would ignore.
 */
export function render(dir: string): K8sObject[] {
  const k = parse(readFileSync(path.join(dir, "kustomization.yaml"), "utf8")) as Kustomization & Record<string, unknown>;
  const unknown = Object.keys(k).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) throw new Error(`${dir}: kustomize features not rendered here: ${unknown.join(", ")}`);
  const objects = (k.resources ?? []).flatMap((r) => {
    const target = path.join(dir, r);
    if (!r.endsWith(".yaml")) return render(target);
    return parseAllDocuments(readFileSync(target, "utf8")).map((d) => d.toJS() as K8sObject);
  });
  for (const o of objects) {
    if (k.namespace) o.metadata.namespace = k.namespace;
    for (const l of k.labels ?? []) o.metadata.labels = { ...o.metadata.labels, ...l.pairs };
    for (const image of k.images ?? []) {
      for (const c of containersOf(o)) if (c.image.split(":")[0] === image.name) c.image = `${image.name}:${image.newTag}`;
    }
  }
  for (const p of k.patches ?? []) {
    const target = objects.find((o) => o.kind === p.target.kind && o.metadata.name === p.target.name);
    if (!target) throw new Error(`${dir}: patch target ${p.target.kind}/${p.target.name} not found`);
    for (const op of parse(p.patch) as Op[]) apply(target, op);
  }
  return objects;
}

type Probe = { httpGet?: { path: string; port: string | number } };
/** The parts of a container the tests read. */
export interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}

/** The containers of a Deployment's pod template (none for other kinds). */
export function containersOf(o: K8sObject): Container[] {
  const spec = (o.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)?.template?.spec;
  return spec?.containers ?? [];
}

function apply(target: Record<string, unknown>, op: Op): void {
  if (op.op !== "replace" && op.op !== "add") throw new Error(`patch op ${op.op} not rendered here`);
  const keys = op.path.split("/").slice(1).map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  const last = keys.pop()!;
  let at: Record<string, unknown> = target;
  for (const key of keys) at = at[key] as Record<string, unknown>;
  if (op.op === "replace" && !(last in at)) throw new Error(`replace of missing ${op.path}`);
  at[last] = op.value;
}
