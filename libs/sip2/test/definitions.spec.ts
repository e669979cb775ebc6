import { describe, expect, it } from "vitest";
import { MESSAGE_DEFS, type MessageCode, ResponseCodeFor } from "../src/index.js";

/** sip2-reference.md §7.3: characters of the fixed part after the 2-char code. */
const FIXED_LENGTHS: Record<MessageCode, number> = {
  "01": 19, "09": 37, "11": 38, "15": 19, "17": 18, "19": 18, "23": 21, "25": 18, "29": 38, "35": 18,
  "37": 25, "63": 31, "65": 18, "93": 2, "97": 0, "99": 8, "24": 35, "26": 35, "10": 22, "12": 22,
  "16": 20, "18": 24, "20": 19, "30": 22, "36": 19, "38": 19, "64": 59, "66": 27, "94": 1, "98": 34, "96": 0,
};

const REQUESTS = ["01", "09", "11", "15", "17", "19", "23", "25", "29", "35", "37", "63", "65", "93", "97", "99"];
const RESPONSES = ["10", "12", "16", "18", "20", "24", "26", "30", "36", "38", "64", "66", "94", "96", "98"];

describe("message definitions", () => {
  it("define every SIP2 2.00 message in both directions", () => {
    const byDirection = (d: string) => Object.values(MESSAGE_DEFS).filter((m) => m.direction === d).map((m) => m.code).sort();
    expect(byDirection("request")).toEqual(REQUESTS);
    expect(byDirection("response")).toEqual(RESPONSES);
  });

  it.each(Object.entries(FIXED_LENGTHS))("give %s the fixed-part length of §7.3 (%i)", (code, length) => {
    expect(MESSAGE_DEFS[code as MessageCode].fixedLength).toBe(length);
  });

  it("use each tagged field ID at most once per message", () => {
    for (const def of Object.values(MESSAGE_DEFS)) {
      const ids = def.fields.map((f) => f.id);
      expect(new Set(ids).size, def.code).toBe(ids.length);
    }
  });

  it("use only 2-letter upper-case field IDs, never AY or AZ", () => {
    for (const def of Object.values(MESSAGE_DEFS)) {
      for (const f of def.fields) {
        expect(f.id).toMatch(/^[A-Z]{2}$/);
        expect(["AY", "AZ"]).not.toContain(f.id);
      }
    }
  });

  it("give every response AF and AG as repeatable fields, except 94 and 96", () => {
    for (const code of RESPONSES.filter((c) => c !== "94" && c !== "96")) {
      const def = MESSAGE_DEFS[code as MessageCode];
      expect(def.byId.get("AF")?.kind, code).toBe("list");
      expect(def.byId.get("AG")?.kind, code).toBe("list");
    }
  });

  it("map every request to the response that answers it", () => {
    for (const [req, res] of Object.entries(ResponseCodeFor)) {
      expect(MESSAGE_DEFS[req as MessageCode].direction).toBe("request");
      if (res !== null) expect(MESSAGE_DEFS[res].direction).toBe("response");
    }
  });
});
