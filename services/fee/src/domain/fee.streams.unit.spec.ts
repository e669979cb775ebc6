import { describe, expect, it } from "vitest";
import { feeStreamId } from "./fee.streams.js";

describe("fee stream ids", () => {
  it("name one stream per institution and patron, and never merge two patrons whose ids contain dashes", () => {
    expect(feeStreamId("MAIN", "2100042")).toBe("fee-MAIN-2100042");
    expect(feeStreamId("a-b", "c")).not.toBe(feeStreamId("a", "b-c"));
  });
});
