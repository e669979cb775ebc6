import { describe, expect, it } from "vitest";
import { accept, fold, refuse } from "../src/index.js";

describe("decisions", () => {
  it("an acceptance carries its events and reply data", () => {
    expect(accept([{ type: "A" }], { due: "x" })).toEqual({ outcome: "accepted", events: [{ type: "A" }], data: { due: "x" } });
  });

  it("a refusal names its reason and may still carry events to record", () => {
    const r = refuse("PIN_INVALID", "third wrong PIN", [{ type: "PinRejected" }]);
    expect(r).toEqual({ outcome: "refused", reason: "PIN_INVALID", detail: "third wrong PIN", events: [{ type: "PinRejected" }] });
    expect(refuse("X")).toEqual({ outcome: "refused", reason: "X", events: [] });
  });

  it("fold applies evolve in order", () => {
    expect(fold((s: number[], e: number) => [...s, e], [], [1, 2, 3])).toEqual([1, 2, 3]);
  });
});
