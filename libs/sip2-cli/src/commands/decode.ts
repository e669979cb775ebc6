/**
 * `sip2 decode`: one raw SIP2 message per input line → one JSON object per output line.
 * Meant for librarians and developers reading kiosk logs, so bad input is reported in the
 * output and never makes the command fail.
 */
import { once } from "node:events";
import { type Charset, type Description, describeMessage } from "@circulate/sip2";

/** Options of the decode command. */
export interface DecodeOptions {
  /** Charset the messages were sent in. */
  charset: Charset;
  /** IANA zone for local (4-blank) SIP dates. */
  timeZone: string;
  /** Field delimiter; default `|`. */
  delimiter?: string;
  /** Lines longer than this (bytes) are reported as errors instead of decoded. Default 1 MiB. */
  maxLineBytes?: number;
  /** Print login, terminal and patron passwords as sent; by default they are masked. */
  revealSecrets?: boolean;
}

/** Fields that carry a password or PIN: masked unless asked, so decoded logs can be shared. */
export const SECRET_FIELDS = ["loginPassword", "terminalPassword", "patronPassword"] as const;

function maskSecrets(record: DecodedLine): DecodedLine {
  if (!("fields" in record)) return record;
  const fields: Record<string, unknown> = { ...record.fields };
  for (const name of SECRET_FIELDS) if (typeof fields[name] === "string" && fields[name] !== "") fields[name] = "[redacted]";
  return { ...record, fields } as DecodedLine;
}

/** Where decode writes: a Node Writable (stdout) or anything with the same write/once shape. */
export interface LineSink {
  write(chunk: string): boolean;
  once(event: "drain", listener: () => void): unknown;
}

/** One output record: the line number plus the description (or an error). */
export type DecodedLine = { line: number } & (Description | { error: { code: string; reason: string } });

/** Counts of what decode saw. */
export interface DecodeSummary {
  /** Non-empty input lines. */
  lines: number;
  /** Messages described (a line may hold several CR-separated messages). */
  messages: number;
  /** Records written with an `error`. */
  errors: number;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Reads raw messages from `input` (LF or CR LF line endings; a CR at the end of a message is
 * ignored; CRs inside a line separate messages) and writes one JSON object per message to
 * `output`. Never rejects because of the input's content.
 */
export async function decode(input: AsyncIterable<Uint8Array | string>, output: LineSink, options: DecodeOptions): Promise<DecodeSummary> {
  const maxLine = options.maxLineBytes ?? 1024 * 1024;
  const opts = { timeZone: options.timeZone, charset: options.charset, ...(options.delimiter ? { delimiter: options.delimiter } : {}) };
  const summary: DecodeSummary = { lines: 0, messages: 0, errors: 0 };
  let lineNo = 0;
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;

  const emit = async (decoded: DecodedLine) => {
    const record = options.revealSecrets ? decoded : maskSecrets(decoded);
    if ("error" in record) summary.errors++;
    if (!output.write(`${JSON.stringify(record)}\n`)) await once(output as never, "drain");
  };

  const finishLine = async () => {
    lineNo++;
    const line = Buffer.concat(parts, size);
    parts = [];
    size = 0;
    if (tooLong) {
      tooLong = false;
      summary.lines++;
      await emit({ line: lineNo, error: { code: "line_too_long", reason: `line is longer than ${maxLine} bytes; skipped` } });
      return;
    }
    let start = 0;
    let any = false;
    for (let i = 0; i <= line.length; i++) {
      if (i < line.length && line[i] !== CR) continue;
      const message = line.subarray(start, i);
      start = i + 1;
      if (message.every((b) => b <= 0x20 || b === 0x7f)) continue;
      any = true;
      summary.messages++;
      await emit({ line: lineNo, ...describeMessage(message, opts) });
    }
    if (any) summary.lines++;
  };

  for await (const chunk of input) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(LF, pos);
      const end = nl === -1 ? buf.length : nl;
      if (!tooLong) {
        if (size + (end - pos) > maxLine) {
          tooLong = true;
          parts = [];
          size = 0;
        } else if (end > pos) {
          parts.push(Buffer.from(buf.subarray(pos, end)));
          size += end - pos;
        }
      }
      if (nl === -1) break;
      await finishLine();
      pos = nl + 1;
    }
  }
  if (size > 0 || tooLong) await finishLine();
  return summary;
}
