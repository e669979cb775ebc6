import { commands, refusedOutcome } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { ReplyClient, startReplySink } from "../src/index.js";

const outcome = (id: string) => refusedOutcome({ commandId: id, correlationId: id }, commands.RefusalReason.ITEM_NOT_FOUND, "test");

describe("reply delivery to a gateway that restarts", () => {
  it("reaches a gateway back on its address within moments, though the last delivery to it failed", async () => {
    const replies = new ReplyClient();
    const seen: string[] = [];
    const onOutcome = (o: commands.Outcome) => {
      seen.push(o.commandId);
      return true;
    };
    const first = await startReplySink({ onOutcome });
    const port = Number(first.address.split(":").at(-1));
    try {
      expect(await replies.deliver(first.address, outcome("before"))).toBe(true);
      await first.close();
      // The gateway is gone (killed): a delivery now fails and the channel starts backing off.
      await expect(replies.deliver(first.address, outcome("while-down"), 300)).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 2_500));
      const again = await startReplySink({ port, onOutcome });
      try {
        const started = Date.now();
        expect(await replies.deliver(again.address, outcome("after"), 1_500)).toBe(true);
        expect(Date.now() - started).toBeLessThan(1_500);
        expect(seen).toEqual(["before", "after"]);
      } finally {
        await again.close();
      }
    } finally {
      replies.close();
    }
  });
});
