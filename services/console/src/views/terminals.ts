import { bool, instant, int, object, str } from "./schemas.js";

const strings = { type: "array", items: str } as const;
const numberOrNull = { type: ["number", "null"] } as const;
const status = { type: "string", enum: ["connected", "silent", "out-of-paper", "shutting-down", "disconnected"] } as const;

/** An account's settings as shown; never its password hash (`hasPassword` says whether it has one). */
export const terminalAccountSchema = object(
  {
    hasPassword: bool,
    institutionId: str,
    libraryName: str,
    location: str,
    allowedNetworks: strings,
    bindAddresses: strings,
    permissions: strings,
    charset: str,
    active: bool,
    terminalPassword: str,
    responseProfile: str,
    timeZone: str,
  },
  ["institutionId", "libraryName", "location", "allowedNetworks", "bindAddresses", "permissions", "charset", "active", "terminalPassword", "responseProfile", "timeZone"],
);

export const connectionSchema = object({
  gatewayId: str,
  connectionId: str,
  status: { type: "string", enum: ["connected", "silent", "out-of-paper", "shutting-down"] },
  address: { type: ["string", "null"] },
  listener: { type: "string", enum: ["tcp", "tls"] },
  tls: { type: ["string", "null"] },
  location: { type: ["string", "null"] },
  authenticatedBy: { type: ["string", "null"], enum: ["login", "binding", null] },
  connectedAt: { type: "string", format: "date-time" },
  lastRequestAt: instant,
  scStatus: { type: ["string", "null"], enum: ["ok", "out-of-paper", "shutting-down", "unknown", null] },
  requests: int,
  refusals: int,
  errors: int,
  p95Ms: numberOrNull,
});

export const terminalSchema = object({
  login: str,
  source: { type: "string", enum: ["console", "file"] },
  revision: { type: ["integer", "null"] },
  account: { anyOf: [terminalAccountSchema, { type: "null" }] },
  gateways: strings,
  note: { type: ["string", "null"] },
  problems: strings,
  status,
  lastSeenAt: instant,
  connections: { type: "array", items: connectionSchema },
  requestsPerMinute: int,
  refusalRate: numberOrNull,
  errorRate: numberOrNull,
  p95Ms: numberOrNull,
});

export const fleetSchema = object({
  at: { type: "string", format: "date-time" },
  silentAfterSeconds: { type: "number" },
  terminals: { type: "array", items: terminalSchema },
});
