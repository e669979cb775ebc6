import { describe, expect, it } from "vitest";
import { type Charset, decodeText, encodeText, normalizeCharset } from "../src/index.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("charsets", () => {
  it.each([
    ["ibm850", "89"],
    ["latin1", "eb"],
    ["utf8", "c3ab"],
  ] as const)("encodes ë in %s as %s", (charset, expected) => {
    expect(hex(encodeText("ë", charset))).toBe(expected);
  });

  it.each(["ibm850", "latin1", "utf8"] as Charset[])("round-trips Norwegian and French letters in %s", (charset) => {
    const text = "ÆØÅ æøå Zoë Café Müller";
    expect(decodeText(encodeText(text, charset), charset)).toBe(text);
  });

  it("replaces characters a single-byte charset cannot hold with ?", () => {
    expect(decodeText(encodeText("€ ☃", "latin1"), "latin1")).toBe("? ?");
    expect(decodeText(encodeText("☃", "ibm850"), "ibm850")).toBe("?");
  });

  it("decodes invalid UTF-8 to U+FFFD instead of throwing", () => {
    expect(decodeText(new Uint8Array([0x41, 0xff, 0x42]), "utf8")).toBe("A\uFFFDB");
  });

  it("reads bytes 0x80–0xFF differently per charset (which is why the charset is per terminal)", () => {
    const b = new Uint8Array([0x91]);
    expect(decodeText(b, "ibm850")).toBe("æ");
    expect(decodeText(b, "latin1")).toBe("\u0091");
  });

  it.each([
    ["IBM850", "ibm850"],
    ["cp850", "ibm850"],
    ["UTF-8", "utf8"],
    ["ISO-8859-1", "latin1"],
    ["latin1", "latin1"],
    ["ebcdic", undefined],
  ])("normalises the configured name %s", (name, expected) => {
    expect(normalizeCharset(name)).toBe(expected);
  });
});
