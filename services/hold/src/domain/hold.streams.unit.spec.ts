import { describe, expect, it } from "vitest";
import { holdQueueStreamId } from "./hold.streams.js";

describe("hold queue stream ids", () => {
  it("name one stream per institution and title, never merging two titles whose keys contain dashes", () => {
    expect(holdQueueStreamId("MAIN", "b12345")).toBe("holdq-MAIN-b12345");
    expect(holdQueueStreamId("a-b", "c")).not.toBe(holdQueueStreamId("a", "b-c"));
  });
});
