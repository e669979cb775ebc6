/**
 * What the client prints: an exchange (request sent, response received) as readable text
 * or as one JSON object. Pure. Passwords and PINs (CO, AC, AD) are masked unless asked.
 */
import { type Charset, type Description, decodeText, describeMessage, type JsonValue } from "@circulate/sip2";
import { SECRET_FIELDS } from "../commands/decode.js";

/** One request and its answer, as the client saw them. */
export interface Exchange {
  /** The request bytes as first sent (trailer included, terminator excluded). */
  request: Uint8Array;
  /** The response frame accepted as the answer. */
  response: Uint8Array;
  /** How many 97s were sent because a response failed its checksum. */
  resends: number;
  /** How many times the request was sent again because the server answered 96. */
  retransmits: number;
  /** Things a person should know: discarded responses, missing checksums, retries used up. */
  warnings: string[];
}

/** How to show exchanges. */
export interface RenderOptions {
  charset: Charset;
  timeZone: string;
  /** Show passwords and PINs as sent. */
  revealSecrets: boolean;
}

const MASK = "[redacted]";
const SECRET_IDS = ["CO", "AC", "AD"];
// The flag sets describe() renders as lists of names; their names read better as words.
const FLAG_FIELDS = new Set(["patronStatus", "summary", "supportedMessages"]);

/** Masks the values of CO, AC and AD in a raw message (non-empty ones; `AC|` stays). */
export function maskRawSecrets(line: string): string {
  return line.replace(new RegExp(`\\|(${SECRET_IDS.join("|")})([^|]+)`, "g"), `|$1${MASK}`);
}

/** Describes a message and masks its secret fields unless `revealSecrets`. */
export function describeMasked(bytes: Uint8Array, opts: RenderOptions): Description {
  const d = describeMessage(bytes, { charset: opts.charset, timeZone: opts.timeZone });
  if (opts.revealSecrets || !("fields" in d)) return d;
  const fields: Record<string, JsonValue> = { ...d.fields };
  for (const name of SECRET_FIELDS) if (typeof fields[name] === "string" && fields[name] !== "") fields[name] = MASK;
  return { ...d, fields };
}

/** A raw message as text for display (secrets masked unless asked). */
export function rawLine(bytes: Uint8Array, opts: RenderOptions): string {
  const text = decodeText(bytes, opts.charset);
  return opts.revealSecrets ? text : maskRawSecrets(text);
}

/** `renewalOk` → `renewal ok`. */
export function words(name: string): string {
  return /^[A-Z]{2}$/.test(name) ? name : name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

function renderValue(name: string, value: JsonValue): string[] {
  if (value === null) return ["(none)"];
  if (value === true) return ["yes"];
  if (value === false) return ["no"];
  if (Array.isArray(value)) {
    if (FLAG_FIELDS.has(name)) return [value.length === 0 ? "(none)" : value.map((v) => words(String(v))).join(", ")];
    return value.length === 0 ? ["(none)"] : value.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  }
  if (typeof value === "object") return [JSON.stringify(value)];
  return [String(value)];
}

/** A description as readable lines: a heading, then one `name  value` line per field. */
export function renderDescription(d: Description): string[] {
  if (!("fields" in d)) {
    return [`unreadable message${d.code ? ` (code ${d.code})` : ""}: ${d.error.reason} [${d.error.code}]`, `  checksum ${d.checksum}`];
  }
  const trailer = d.checksum === "absent" ? "no checksum" : `sequence ${d.sequence ?? "-"}, checksum ${d.checksum}`;
  const lines = [`${d.name} (${d.code}) — ${trailer}`];
  const entries = [...Object.entries(d.fixed), ...Object.entries(d.fields)];
  const width = Math.max(0, ...entries.map(([k]) => words(k).length));
  for (const [name, value] of entries) {
    const [first = "", ...rest] = renderValue(name, value);
    lines.push(`  ${words(name).padEnd(width)}  ${first}`);
    for (const more of rest) lines.push(`  ${"".padEnd(width)}  ${more}`);
  }
  for (const w of d.warnings ?? []) lines.push(`  warning: ${w.field ? `${w.field}: ` : ""}${w.reason}`);
  return lines;
}

/** An exchange as readable text: `> request`, `< response`, the decoded response, warnings. */
export function renderExchange(x: Exchange, opts: RenderOptions): string {
  const lines = [`> ${rawLine(x.request, opts)}`, `< ${rawLine(x.response, opts)}`, ...renderDescription(describeMasked(x.response, opts))];
  if (x.resends > 0) lines.push(`  (asked for a resend ${x.resends}× after a bad checksum)`);
  if (x.retransmits > 0) lines.push(`  (sent the request again ${x.retransmits}× after a 96)`);
  for (const w of x.warnings) lines.push(`  warning: ${w}`);
  return `${lines.join("\n")}\n`;
}

/** An exchange as one JSON object (one line). */
export function exchangeJson(x: Exchange, opts: RenderOptions): string {
  return `${JSON.stringify({
    request: describeMasked(x.request, opts),
    response: describeMasked(x.response, opts),
    resends: x.resends,
    retransmits: x.retransmits,
    ...(x.warnings.length > 0 ? { warnings: x.warnings } : {}),
  })}\n`;
}
