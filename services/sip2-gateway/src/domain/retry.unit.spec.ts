import { describe, expect, it } from "vitest";
import { judgeRetry, type LastRequest, requestDigest, terminalKey } from "./retry.js";

const checkout = requestDigest(new TextEncoder().encode("11YN20250101    120000                  AO|AAP0001|ABI0001|"));
const checkin = requestDigest(new TextEncoder().encode("09N20250101    120000                  AP|AO|ABI0001|"));
const budget = 60_000;

describe("judgeRetry: a retry is the same transaction sent again as the terminal's next request", () => {
  const last: LastRequest = { digest: checkout, commandId: "c-1", at: 1_000 };

  it("takes the same bytes sent right after, within the budget, as a retry of the same command", () => {
    expect(judgeRetry(last, checkout, 2_000, budget)).toEqual({ retry: true, of: last });
  });

  it("takes the same bytes after another request as a new transaction (checkout, checkin, checkout)", () => {
    const afterCheckin: LastRequest = { digest: checkin, commandId: "c-2", at: 1_500 };
    expect(judgeRetry(afterCheckin, checkout, 2_000, budget)).toEqual({ retry: false });
  });

  it("takes the same bytes after a query as a new transaction (a query in between counts)", () => {
    const afterQuery: LastRequest = { digest: requestDigest(new TextEncoder().encode("1720250101    120000AO|ABI0001|")), commandId: "", at: 1_500 };
    expect(judgeRetry(afterQuery, checkout, 2_000, budget)).toEqual({ retry: false });
  });

  it("takes the same bytes past the budget as a new transaction (a frozen kiosk clock, days apart)", () => {
    expect(judgeRetry(last, checkout, 1_000 + budget + 1, budget)).toEqual({ retry: false });
    expect(judgeRetry(last, checkout, 1_000 + budget, budget).retry).toBe(true);
  });

  it("never replays a query: the same query sent again is asked again", () => {
    const query: LastRequest = { digest: checkout, commandId: "", at: 1_000 };
    expect(judgeRetry(query, checkout, 1_001, budget)).toEqual({ retry: false });
  });

  it("is not a retry when nothing is known of the terminal, or the clock went backwards", () => {
    expect(judgeRetry(undefined, checkout, 2_000, budget)).toEqual({ retry: false });
    expect(judgeRetry(last, checkout, 999, budget)).toEqual({ retry: false });
  });
});

describe("terminalKey", () => {
  it("tells terminals apart by login, location and address, and is a valid KV key whatever the text", () => {
    expect(terminalKey("kiosk1", "MAIN", "10.0.0.5")).not.toBe(terminalKey("kiosk1", "EAST", "10.0.0.5"));
    expect(terminalKey("kiosk1", "MAIN", "10.0.0.5")).not.toBe(terminalKey("kiosk1", "MAIN", "10.0.0.6"));
    expect(terminalKey("kiosk1", "MAIN", "10.0.0.5")).not.toBe(terminalKey("kiosk1M", "AIN", "10.0.0.5"));
    expect(terminalKey("kï osk|*>", "x.y", "::ffff:127.0.0.1")).toMatch(/^[0-9a-f]{40}$/);
  });
});
