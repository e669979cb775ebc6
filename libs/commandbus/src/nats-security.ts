import { readFileSync } from "node:fs";
import type { NatsSecurity } from "@circulate/runtime";
import { type ConnectionOptions, credsAuthenticator } from "@nats-io/transport-node";

/** Connection options for NATS from a process's `NATS_*` settings: credentials and TLS, none when unset. */
export function natsConnectOptions(security: NatsSecurity | undefined): Partial<ConnectionOptions> {
  if (security === undefined) return {};
  return {
    ...(security.user !== undefined ? { user: security.user, pass: security.pass } : {}),
    ...(security.token !== undefined ? { token: security.token } : {}),
    ...(security.credsFile !== undefined ? { authenticator: credsAuthenticator(readFileSync(security.credsFile)) } : {}),
    ...(security.tls ? { tls: { ...security.tls } } : {}),
  };
}
