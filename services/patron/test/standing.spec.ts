import { commands } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cmd, DENIED_ALL, flagsSet, Harness, PIN, patronRecord, refused, standingOf } from "./support.js";

const R = commands.RefusalReason;
const sorted = (flags: string[]) => [...flags].sort();

describe("standing flags as the 24 shows them", () => {
  const h = new Harness();
  const status = async (barcode: string) => standingOf(await h.send(cmd.status(barcode, PIN)));
  beforeAll(async () => {
    await h.start();
    await h.seedLibrary();
  });
  afterAll(() => h.stop());

  it("an expired card denies the four privileges and stays a known patron (BL=Y)", async () => {
    await h.addPatron("S400", { expiresAt: new Date("2020-06-30T12:00:00Z") });
    const standing = await status("S400");
    expect(standing.validPatron).toBe(true);
    expect(flagsSet(standing)).toEqual(DENIED_ALL);
  });

  it("a card is still valid on its expiry day in the home institution's zone", async () => {
    // Now, as an instant, is "today" in New York: the expiry date is today.
    await h.addPatron("S401", { expiresAt: new Date() });
    expect(flagsSet(await status("S401"))).toEqual([]);
  });

  it("SetCardLost flags the card reported lost and denies everything; reporting it found clears both", async () => {
    await h.addPatron("S402");
    const lost = await h.api.setCardLost("S402", true);
    expect(lost.patron).toMatchObject({ cardLost: true });
    expect((await h.stream("S402")).at(-1)).toMatchObject({ type: "PatronCardReportedLost" });
    expect(flagsSet(await status("S402"))).toEqual(sorted([...DENIED_ALL, "cardReportedLost"]));

    await h.api.setCardLost("S402", false);
    expect(await h.row("S402")).toMatchObject({ card_lost: false });
    expect(flagsSet(await status("S402"))).toEqual([]);
  });

  it("too many items charged at the loan limit denies charge privileges only", async () => {
    await h.addPatron("S403");
    const p = await h.patron("S403");
    await h.peers.lend(p, "A", 5);
    await h.peers.lend(p, "B", 5);
    expect(flagsSet(await status("S403"))).toEqual([]);
    await h.peers.lend(p, "C", 5);
    expect(flagsSet(await status("S403"))).toEqual(["chargePrivilegesDenied", "tooManyItemsCharged"]);
  });

  it("too many items overdue at the overdue limit denies charge and renewal privileges", async () => {
    await h.addPatron("S404");
    const p = await h.patron("S404");
    await h.peers.lend(p, "A", -1);
    expect(flagsSet(await status("S404"))).toEqual([]);
    await h.peers.lend(p, "B", -2);
    expect(flagsSet(await status("S404"))).toEqual(["chargePrivilegesDenied", "renewalPrivilegesDenied", "tooManyItemsOverdue"]);
  });

  it("fines over the limit (not at it) set excessive outstanding fines and deny charge, renewal and hold", async () => {
    await h.addPatron("S405");
    const p = await h.patron("S405");
    await h.peers.charge(p, 300);
    await h.peers.charge(p, 200);
    const atLimit = await status("S405");
    expect(flagsSet(atLimit)).toEqual([]);
    expect(atLimit.feesOwed).toEqual({ currency: "USD", amountMinor: 500 });
    await h.peers.charge(p, 1);
    const over = await status("S405");
    expect(flagsSet(over)).toEqual(["chargePrivilegesDenied", "excessiveOutstandingFines", "holdPrivilegesDenied", "renewalPrivilegesDenied"]);
    expect(over.feesOwed).toEqual({ currency: "USD", amountMinor: 501 });
  });

  it("fee events not applied within the command's time give a well-formed BACKEND_UNAVAILABLE refusal, record nothing, and the next request is answered", async () => {
    await h.addPatron("S406");
    const p = await h.patron("S406");
    const envelope = h.envelope(cmd.status("S406", "0000"), { timeoutMs: 1_000 });
    await h.whileStuck("patron_fee_accounts", async () => {
      await h.peers.charge(p, 125);
      const [outcome] = await h.publish(envelope);
      const refusal = refused(outcome!);
      expect(refusal.reason).toBe(R.BACKEND_UNAVAILABLE);
      expect(outcome).toMatchObject({ commandId: envelope.commandId, correlationId: envelope.correlationId, replayed: false });
      expect(refusal.detail).not.toContain("0000");
      // Answered while the gateway still waits, not after its deadline.
      expect(outcome!.decidedAt!.getTime()).toBeLessThan(envelope.deadline!.getTime());
      const info = refused(await h.send(cmd.information("S406", commands.PatronInformationSummary.FINE_ITEMS), { timeoutMs: 1_000 }));
      expect(info.reason).toBe(R.BACKEND_UNAVAILABLE);
    });
    // Nothing decided: no PIN failure, no recorded outcome, so a retry decides afresh.
    expect(await h.types("S406")).toEqual(["PatronRegistered", "PinChanged"]);
    expect(await h.recorded(envelope.commandId)).toBe(0);
    // The charge applied once the consumer could write.
    expect(standingOf(await h.send(cmd.status("S406", PIN)))).toMatchObject({ pinValid: true, feesOwed: { currency: "USD", amountMinor: 125 } });
  });

  it("finds a member's patron at another member's kiosk, with usage events that name the card in its own institution", async () => {
    await h.api.upsertInstitutions({
      institutions: [
        { institutionId: "NORTH", name: "North", timeZone: "America/New_York", currency: "USD", consortiumId: "METRO" },
        { institutionId: "SOUTH", name: "South", timeZone: "America/New_York", currency: "USD", consortiumId: "METRO" },
      ],
    });
    await h.api.upsertPatrons({ patrons: [patronRecord("S407", { patron: { institutionId: "NORTH", barcode: "S407" }, name: "Northerner", homeLocation: "NORTH" })] });
    // An event that carries only the card (no patron id) counts for the patron registered under it.
    await h.peers.charge({ patronId: "", card: { institutionId: "NORTH", barcode: "S407" } }, 250);
    const atSouth = commands.GetPatronStatus.fromPartial({ patron: { institutionId: "SOUTH", barcode: "S407" }, pin: PIN });
    const outcome = await h.send({ $case: "getPatronStatus", value: atSouth });
    expect(standingOf(outcome)).toMatchObject({
      name: "Northerner",
      pinValid: true,
      patron: { institutionId: "SOUTH", barcode: "S407" },
      feesOwed: { currency: "USD", amountMinor: 250 },
    });
  });

  it("does not look in other members for a terminal limited to its own institution", async () => {
    const atSouth = commands.GetPatronStatus.fromPartial({ patron: { institutionId: "SOUTH", barcode: "S407", ownInstitutionOnly: true }, pin: PIN });
    const outcome = await h.send({ $case: "getPatronStatus", value: atSouth });
    expect(outcome.result?.$case).toBe("refused");
    expect(outcome.result?.$case === "refused" && outcome.result.value.reason).toBe(commands.RefusalReason.PATRON_NOT_FOUND);
  });
});
