import type { EnvReader } from "./config.js";

/** Where finished spans go: an OTLP/HTTP collector, or standard output (to read one trace by eye). */
export type TracesExporter = "otlp" | "console";
export const OTLP_PROTOCOLS = ["http/protobuf", "http/json"] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];
export const TRACE_SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

/** How a process traces, from the standard `OTEL_*` variables; no exporter means no tracing at all. */
export interface TracingSettings {
  /** `service.name` of every span (OTEL_SERVICE_NAME, else the process's own name). */
  readonly serviceName: string;
  /** Empty: tracing is off and the OpenTelemetry API stays the no-op. */
  readonly exporters: readonly TracesExporter[];
  /** The collector's traces URL and encoding, when `otlp` is among the exporters. */
  readonly otlp?: { readonly url: string; readonly protocol: OtlpProtocol };
  readonly sampler: TraceSampler;
  /** Share of traces kept by the ratio samplers, 0 to 1. */
  readonly samplerRatio: number;
}

/** The collector's default address when `OTEL_TRACES_EXPORTER=otlp` names no endpoint. */
const DEFAULT_OTLP_ENDPOINT = "http://localhost:4318";

function httpUrl(e: EnvReader, name: string, raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    e.problem(`${name}: "${raw}" is not a URL`);
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    e.problem(`${name}: "${raw}" is not an http(s) URL (OTLP is exported over HTTP)`);
    return undefined;
  }
  return url;
}

/**
 * Reads the tracing settings. Tracing is on when an OTLP endpoint is set
 * (OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT used as
 * is) or OTEL_TRACES_EXPORTER names an exporter; OTEL_TRACES_EXPORTER=none or
 * OTEL_SDK_DISABLED=true turns it off whatever else is set. Bad values are
 * reported with the process's other configuration problems.
 */
export function tracingSettings(e: EnvReader, serviceName: string): TracingSettings {
  const name = e.optional("OTEL_SERVICE_NAME")?.trim() || serviceName;
  const disabled = e.bool("OTEL_SDK_DISABLED", false);
  const tracesEndpoint = e.optional("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const endpoint = e.optional("OTEL_EXPORTER_OTLP_ENDPOINT");
  const protocol = e.optional("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
    ? e.oneOf("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", OTLP_PROTOCOLS)
    : e.oneOf("OTEL_EXPORTER_OTLP_PROTOCOL", OTLP_PROTOCOLS, "http/protobuf");
  const sampler = e.oneOf("OTEL_TRACES_SAMPLER", TRACE_SAMPLERS, "parentbased_always_on");
  const ratioRaw = e.optional("OTEL_TRACES_SAMPLER_ARG");
  let samplerRatio = 1;
  if (ratioRaw !== undefined) {
    const ratio = Number(ratioRaw.trim());
    if (ratioRaw.trim() === "" || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
      e.problem(`OTEL_TRACES_SAMPLER_ARG: "${ratioRaw}" is not a ratio between 0 and 1`);
    } else {
      samplerRatio = ratio;
    }
  }

  let exporters: TracesExporter[] = [];
  const named = e.optional("OTEL_TRACES_EXPORTER");
  if (named !== undefined) {
    for (const part of named.split(",").map((s) => s.trim())) {
      if (part === "none") continue;
      if (part === "otlp" || part === "console") {
        if (!exporters.includes(part)) exporters.push(part);
      } else {
        e.problem(`OTEL_TRACES_EXPORTER: "${part}" is not one of otlp, console, none`);
      }
    }
    if (named.split(",").some((s) => s.trim() === "none")) exporters = [];
  } else if (tracesEndpoint !== undefined || endpoint !== undefined) {
    exporters = ["otlp"];
  }

  let otlp: TracingSettings["otlp"];
  if (exporters.includes("otlp")) {
    const url =
      tracesEndpoint !== undefined
        ? httpUrl(e, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", tracesEndpoint)
        : httpUrl(e, "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint ?? DEFAULT_OTLP_ENDPOINT);
    if (url !== undefined) {
      // The base endpoint gets the signal's path; the traces endpoint is the full URL already.
      const full = tracesEndpoint !== undefined ? url.href : `${url.href.replace(/\/+$/, "")}/v1/traces`;
      otlp = { url: full, protocol };
    }
  }
  return { serviceName: name, exporters: disabled ? [] : exporters, ...(otlp && !disabled ? { otlp } : {}), sampler, samplerRatio };
}
