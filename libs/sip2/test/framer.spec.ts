import { describe, expect, it } from "vitest";
import { type FramerEvent, Sip2Framer } from "../src/index.js";

const bytes = (s: string) => Buffer.from(s, "latin1");
const text = (events: FramerEvent[]) =>
  events.map((e) => (e.type === "frame" ? Buffer.from(e.bytes).toString("latin1") : `!${e.code}`));

function feedAll(framer: Sip2Framer, chunks: string[]): string[] {
  return chunks.flatMap((c) => text(framer.push(bytes(c))));
}

const LOGIN = "9300CNkiosk1|COs3cret|CPMAIN|AY0AZF4DA";
const STATUS = "9900802.00AY1AZFCA0";

describe("Sip2Framer", () => {
  it("ends a frame at CR", () => {
    expect(feedAll(new Sip2Framer(), [`${LOGIN}\r`])).toEqual([LOGIN]);
  });

  it("ends a frame at CR LF without producing an empty frame or a leading LF", () => {
    expect(feedAll(new Sip2Framer(), [`${LOGIN}\r\n${STATUS}\r\n`])).toEqual([LOGIN, STATUS]);
  });

  it("ends a frame at a bare LF", () => {
    expect(feedAll(new Sip2Framer(), [`${LOGIN}\n${STATUS}\n`])).toEqual([LOGIN, STATUS]);
  });

  it("strips the LF of a CR LF split across two chunks", () => {
    expect(feedAll(new Sip2Framer(), [`${LOGIN}\r`, `\n${STATUS}\r`])).toEqual([LOGIN, STATUS]);
  });

  it("returns several messages from one chunk", () => {
    expect(feedAll(new Sip2Framer(), [`${LOGIN}\r${STATUS}\r97AZFEF5\r`])).toEqual([LOGIN, STATUS, "97AZFEF5"]);
  });

  it("reassembles a message delivered one byte at a time", () => {
    const framer = new Sip2Framer();
    const out: string[] = [];
    for (const ch of `${LOGIN}\r\n${STATUS}\r`) out.push(...text(framer.push(bytes(ch))));
    expect(out).toEqual([LOGIN, STATUS]);
  });

  it("reassembles a message split at every possible point", () => {
    const wire = `${LOGIN}\r${STATUS}\r\n`;
    for (let i = 0; i <= wire.length; i++) {
      expect(feedAll(new Sip2Framer(), [wire.slice(0, i), wire.slice(i)])).toEqual([LOGIN, STATUS]);
    }
  });

  it("keeps an incomplete message until its terminator arrives", () => {
    const framer = new Sip2Framer();
    expect(text(framer.push(bytes(LOGIN.slice(0, 10))))).toEqual([]);
    expect(framer.buffered).toBe(10);
    expect(text(framer.push(bytes(`${LOGIN.slice(10)}\r`)))).toEqual([LOGIN]);
    expect(framer.buffered).toBe(0);
  });

  it("ignores bare terminators (empty lines) but frames a line of only spaces or NULs", () => {
    expect(feedAll(new Sip2Framer(), ["\r\r\n\n", `${LOGIN}\r`, "\r\n", "\n\r"])).toEqual([LOGIN]);
    expect(feedAll(new Sip2Framer(), ["  \r", "\x00\x00\r\n", " \x00\t\n"])).toEqual(["  ", "\x00\x00", " \x00\t"]);
  });

  it("reports the terminator each frame ended with", () => {
    const terms = (chunks: string[]) => {
      const framer = new Sip2Framer();
      return chunks.flatMap((c) => framer.push(bytes(c))).map((e) => e.terminator);
    };
    expect(terms([`${STATUS}\r${STATUS}\r\n${STATUS}\n`])).toEqual(["cr", "crlf", "lf"]);
    // A CR that ends a chunk cannot be told from the CR of a split CR LF: the connection's last
    // known terminator decides, so a CR LF client keeps getting "crlf".
    expect(terms([`${STATUS}\r`, "\n", `${STATUS}\r`, `\n${STATUS}\r\n`])).toEqual(["cr", "crlf", "crlf"]);
    expect(terms([`${STATUS}\r\n`, `${STATUS}\r`, `${STATUS}\r`])).toEqual(["crlf", "crlf", "cr"]);
    const framer = new Sip2Framer();
    framer.push(bytes(STATUS));
    expect(framer.end().map((e) => e.terminator)).toEqual([null]);
  });

  it("trims leading garbage control bytes and whitespace", () => {
    expect(feedAll(new Sip2Framer(), [`\x00\x00\x1b \t${LOGIN}\r`])).toEqual([LOGIN]);
  });

  it("trims trailing control bytes but keeps trailing spaces, which may be field data", () => {
    expect(feedAll(new Sip2Framer(), ["9900802.00\x00\x00\r", "11YN20250115    103005   \x04\r"])).toEqual([
      "9900802.00",
      "11YN20250115    103005   ",
    ]);
  });

  it("reports an oversize frame once, at its terminator, and discards it", () => {
    const framer = new Sip2Framer({ maxFrameBytes: 32 });
    const big = "X".repeat(100);
    expect(framer.push(bytes(big.slice(0, 40)))).toEqual([]);
    expect(framer.push(bytes(big.slice(40)))).toEqual([]);
    const events = framer.push(bytes(`\r\n${STATUS}\r`));
    expect(text(events)).toEqual(["!frame_too_large", STATUS]);
    // Raised at its terminator, so the answer to it goes out in turn and can mirror that terminator.
    const err = events[0];
    expect(err?.type === "error" && [err.discardedBytes, err.terminator]).toEqual([100, "crlf"]);
  });

  it("never buffers more than maxFrameBytes", () => {
    const framer = new Sip2Framer({ maxFrameBytes: 64 });
    let max = 0;
    for (let i = 0; i < 10_000; i++) {
      framer.push(bytes("ABCDEFGHIJ"));
      max = Math.max(max, framer.buffered);
    }
    expect(max).toBeLessThanOrEqual(64);
  });

  it("accepts a frame of exactly maxFrameBytes", () => {
    const framer = new Sip2Framer({ maxFrameBytes: LOGIN.length });
    expect(feedAll(framer, [`${LOGIN}\r`])).toEqual([LOGIN]);
  });

  it("returns an unterminated remainder at end()", () => {
    const framer = new Sip2Framer();
    expect(feedAll(framer, [`${LOGIN}\r${STATUS}`])).toEqual([LOGIN]);
    expect(text(framer.end())).toEqual([STATUS]);
    expect(text(framer.end())).toEqual([]);
  });

  it("copies frame bytes so later chunks cannot change them", () => {
    const framer = new Sip2Framer();
    const chunk = bytes(`${STATUS}\r`);
    const [ev] = framer.push(chunk);
    chunk.fill(0x41);
    expect(ev?.type === "frame" && Buffer.from(ev.bytes).toString("latin1")).toBe(STATUS);
  });

  it("rejects a non-positive maxFrameBytes", () => {
    expect(() => new Sip2Framer({ maxFrameBytes: 0 })).toThrow(RangeError);
  });
});
