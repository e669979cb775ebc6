import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One export an OTLP/HTTP collector was sent. */
export interface OtlpRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface OtlpCollector {
  /** Base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`). */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: OtlpRequest[];
  close(): Promise<void>;
}

/** A collector's OTLP/HTTP endpoint on a free loopback port: keeps every request and answers it as a collector does. */
export async function otlpCollector(): Promise<OtlpCollector> {
  const requests: OtlpRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
      const json = req.headers["content-type"]?.includes("json") ?? false;
      res.writeHead(200, { "content-type": req.headers["content-type"] ?? "application/json" }).end(json ? "{}" : "");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
