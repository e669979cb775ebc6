import { describe, expect, it } from "vitest";
import { pickItem } from "../src/index.js";

const main = { institutionId: "MAIN", id: 1 };
const east = { institutionId: "EAST", id: 2 };
const west = { institutionId: "WEST", id: 3 };

describe("pickItem", () => {
  it("takes the named institution's item first", () => {
    expect(pickItem([east, main], "MAIN")).toBe(main);
  });
  it("takes another institution's item when it is the only one with the barcode", () => {
    expect(pickItem([east], "MAIN")).toBe(east);
  });
  it("finds nothing when two other institutions have the barcode", () => {
    expect(pickItem([east, west], "MAIN")).toBeUndefined();
  });
  it("accepts only the exact match for a terminal limited to its own institution", () => {
    expect(pickItem([east], "MAIN", true)).toBeUndefined();
    expect(pickItem([east, main], "MAIN", true)).toBe(main);
  });
  it("finds nothing among no candidates", () => {
    expect(pickItem([], "MAIN")).toBeUndefined();
  });
});
