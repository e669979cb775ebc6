import { history } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { mergeHistories } from "./history.fanout.js";

const entry = (service: string, at: string, id: string) => history.HistoryEntry.fromPartial({ service, at: new Date(at), id, type: "ItemCheckedOut" });
const answer = (service: "loan" | "patron" | "fee", entries: history.HistoryEntry[], more = false) => ({ service, response: history.ListHistoryResponse.fromPartial({ entries, more }) });

describe("merging the services' histories", () => {
  it("puts every service's entries newest first and cuts at the limit, saying there is more", () => {
    const merged = mergeHistories(
      [answer("loan", [entry("loan", "2026-12-06T10:03:00Z", "a"), entry("loan", "2026-12-06T10:01:00Z", "b")]), answer("patron", [entry("patron", "2026-12-06T10:02:00Z", "c")])],
      2,
    );
    expect([merged.entries.map((e) => e.id), merged.more, merged.unavailable]).toEqual([["a", "c"], true, []]);
  });

  it("never ends a cut page inside an instant: the next page (older than the last entry shown) has all of it", () => {
    const sameInstant = ["d", "c", "b"].map((id) => entry("loan", "2026-12-06T10:01:00Z", id));
    const first = mergeHistories([answer("loan", [entry("loan", "2026-12-06T10:03:00Z", "a"), ...sameInstant])], 3);
    expect([first.entries.map((e) => e.id), first.more]).toEqual([["a"], true]);
    // A service cut its own answer at an instant the page ends with: that instant waits too.
    const cutByService = mergeHistories([answer("loan", [entry("loan", "2026-12-06T10:03:00Z", "a"), entry("loan", "2026-12-06T10:02:00Z", "e")], true)], 5);
    expect(cutByService.entries.map((e) => e.id)).toEqual(["a"]);
    // All of one instant: kept whole rather than an empty page.
    expect(mergeHistories([answer("loan", sameInstant, true)], 2).entries.map((e) => e.id)).toEqual(["d", "c"]);
  });

  it("says there is more when a service said so, though the merge was not cut", () => {
    expect(mergeHistories([answer("loan", [entry("loan", "2026-12-06T10:00:00Z", "a")], true)], 5).more).toBe(true);
  });

  it("names a service that failed and keeps the others' entries", () => {
    const merged = mergeHistories([{ service: "fee", failed: new Error("UNAVAILABLE") }, answer("loan", [entry("loan", "2026-12-06T10:00:00Z", "a")])], 5);
    expect([merged.entries.map((e) => e.id), merged.more, merged.unavailable]).toEqual([["a"], false, ["fee"]]);
  });
});
