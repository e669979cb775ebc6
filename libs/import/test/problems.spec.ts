import { describe, expect, it } from "vitest";
import { KeySet } from "../src/keys.js";
import { InvalidImportError, ProblemList } from "../src/problems.js";

describe("ProblemList", () => {
  it("keeps the first problems, counts them all and hands every one to onProblem", () => {
    const heard: string[] = [];
    const list = new ProblemList((p) => heard.push(p), 3);
    for (let i = 1; i <= 5; i++) list.push(`items[${i}]: wrong`);
    expect(list.kept).toEqual(["items[1]: wrong", "items[2]: wrong", "items[3]: wrong"]);
    expect(list.length).toBe(5);
    expect(heard).toHaveLength(5);
  });

  it("an invalid import lists the kept problems and says how many more there were", () => {
    const error = new InvalidImportError(["items[1]: wrong", "items[2]: wrong"], 1_002);
    expect(error.message).toBe("the import is invalid (1,002 problems); nothing was loaded:\n  items[1]: wrong\n  items[2]: wrong\n  … and 1,000 more");
    expect(error.total).toBe(1_002);
  });
});

describe("KeySet", () => {
  it("tells a key seen before from a new one, across a million keys and its growth", () => {
    const keys = new KeySet();
    for (let i = 0; i < 1_000_000; i++) if (!keys.add(`MAIN/B${i}`)) throw new Error(`MAIN/B${i} taken for a duplicate`);
    expect(keys.size).toBe(1_000_000);
    expect([keys.add("MAIN/B0"), keys.add("MAIN/B999999"), keys.add("EAST/B0")]).toEqual([false, false, true]);
  });
});
