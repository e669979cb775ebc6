import { commands } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { NOTICES, REFUSAL_MESSAGES, refusalMessage } from "./screen-messages.js";

describe("screen message catalog", () => {
  it("has a message for every refusal reason in the contract", () => {
    for (const reason of Object.values(commands.RefusalReason)) {
      expect(refusalMessage(reason).length).toBeGreaterThan(0);
    }
  });

  it("keeps messages short enough for a kiosk screen line and free of internal words", () => {
    for (const text of [...Object.values(REFUSAL_MESSAGES), ...Object.values(NOTICES)]) {
      expect(text.length).toBeLessThanOrEqual(70);
      expect(text).not.toMatch(/error|exception|grpc|nats|postgres|timeout|deadline|backend|REFUSAL_REASON|\||\r/i);
    }
  });

  it("reads a reason from a newer contract as a generic failure", () => {
    expect(refusalMessage("REFUSAL_REASON_FROM_THE_FUTURE" as commands.RefusalReason)).toBe(REFUSAL_MESSAGES.UNRECOGNIZED);
  });
});
