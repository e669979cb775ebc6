import type { Terminator } from "@circulate/sip2";

/**
 * How an account's replies end. The spec says CR, but clients that send CR LF often read up to
 * an LF and wait forever for a CR-only reply; `mirror` answers each request in kind.
 */
export const REPLY_TERMINATORS = ["cr", "crlf", "mirror"] as const;
export type ReplyTerminator = (typeof REPLY_TERMINATORS)[number];

/** The bytes that end one reply: `mirror` copies the request's, and a request with none (end of stream) gets CR. */
export function replyEnding(setting: ReplyTerminator, request: Terminator | null): Uint8Array {
  const kind = setting === "mirror" ? (request ?? "cr") : setting;
  return ENDINGS[kind];
}

const ENDINGS: Record<Terminator, Uint8Array> = {
  cr: Uint8Array.of(0x0d),
  crlf: Uint8Array.of(0x0d, 0x0a),
  lf: Uint8Array.of(0x0a),
};

/** An encoded reply (which ends with the encoder's CR) ending with `ending` instead. */
export function withEnding(reply: Uint8Array, ending: Uint8Array): Uint8Array {
  const body = reply.length > 0 && reply[reply.length - 1] === 0x0d ? reply.length - 1 : reply.length;
  if (body === reply.length - 1 && ending.length === 1 && ending[0] === 0x0d) return reply;
  const out = new Uint8Array(body + ending.length);
  out.set(reply.subarray(0, body));
  out.set(ending, body);
  return out;
}
