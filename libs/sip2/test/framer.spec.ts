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

  it("ignores empty frames and blank lines", () => {
    expect(feedAll(new Sip2Framer(), ["\r\r\n\n  \r", `${LOGIN}\r`, "\r\n"])).toEqual([LOGIN]);
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

  it("reports an oversize frame once and discards it up to the next terminator", () => {
    const framer = new Sip2Framer({ maxFrameBytes: 32 });
    const big = "X".repeat(100);
    const events = [...framer.push(bytes(big.slice(0, 40))), ...framer.push(bytes(big.slice(40))), ...framer.push(bytes(`\r${STATUS}\r`))];
    expect(text(events)).toEqual(["!frame_too_large", STATUS]);
    const err = events[0];
    expect(err?.type === "error" && err.discardedBytes).toBe(40);
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
