import { createServer } from "node:net";
import { commands } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCharge, aLoan } from "./peers.standin.js";
import { accepted, cmd, DENIED_ALL, flagsSet, Harness, PIN, patronRecord, refused, standingOf } from "./support.js";

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
    h.peers.of("S403").loans.push(aLoan("A", 5), aLoan("B", 5));
    expect(flagsSet(await status("S403"))).toEqual([]);
    h.peers.of("S403").loans.push(aLoan("C", 5));
    expect(flagsSet(await status("S403"))).toEqual(["chargePrivilegesDenied", "tooManyItemsCharged"]);
  });

  it("too many items overdue at the overdue limit denies charge and renewal privileges", async () => {
    await h.addPatron("S404");
    h.peers.of("S404").loans.push(aLoan("A", -1));
    expect(flagsSet(await status("S404"))).toEqual([]);
    h.peers.of("S404").loans.push(aLoan("B", -2));
    expect(flagsSet(await status("S404"))).toEqual(["chargePrivilegesDenied", "renewalPrivilegesDenied", "tooManyItemsOverdue"]);
  });

  it("fines over the limit (not at it) set excessive outstanding fines and deny charge, renewal and hold", async () => {
    await h.addPatron("S405");
    h.peers.of("S405").charges.push(aCharge(300), aCharge(200));
    const atLimit = await status("S405");
    expect(flagsSet(atLimit)).toEqual([]);
    expect(atLimit.feesOwed).toEqual({ currency: "USD", amountMinor: 500 });
    h.peers.of("S405").charges.push(aCharge(1));
    const over = await status("S405");
    expect(flagsSet(over)).toEqual(["chargePrivilegesDenied", "excessiveOutstandingFines", "holdPrivilegesDenied", "renewalPrivilegesDenied"]);
    expect(over.feesOwed).toEqual({ currency: "USD", amountMinor: 501 });
  });

  it("a fee service that does not answer gives a well-formed BACKEND_UNAVAILABLE refusal, records nothing, and the next request is answered", async () => {
    await h.addPatron("S406");
    h.peers.silent.add("fee");
    const envelope = h.envelope(cmd.status("S406", "0000"), { timeoutMs: 1_000 });
    try {
      const [outcome] = await h.publish(envelope);
      const refusal = refused(outcome!);
      expect(refusal.reason).toBe(R.BACKEND_UNAVAILABLE);
      expect(outcome).toMatchObject({ commandId: envelope.commandId, correlationId: envelope.correlationId, replayed: false });
      expect(refusal.detail).not.toContain("0000");
      // Answered while the gateway still waits, not after its deadline.
      expect(outcome!.decidedAt!.getTime()).toBeLessThan(envelope.deadline!.getTime());
      const info = refused(await h.send(cmd.information("S406", commands.PatronInformationSummary.FINE_ITEMS), { timeoutMs: 1_000 }));
      expect(info.reason).toBe(R.BACKEND_UNAVAILABLE);
    } finally {
      h.peers.silent.delete("fee");
    }
    // Nothing decided: no PIN failure, no recorded outcome, so a retry decides afresh.
    expect(await h.types("S406")).toEqual(["PatronRegistered", "PinChanged"]);
    expect(await h.recorded(envelope.commandId)).toBe(0);
    expect(standingOf(await h.send(cmd.status("S406", PIN))).pinValid).toBe(true);
  });

  it("finds a member's patron at another member's kiosk and asks the peers under the card's own institution", async () => {
    await h.api.upsertInstitutions({
      institutions: [
        { institutionId: "NORTH", name: "North", timeZone: "America/New_York", currency: "USD", consortiumId: "METRO" },
        { institutionId: "SOUTH", name: "South", timeZone: "America/New_York", currency: "USD", consortiumId: "METRO" },
      ],
    });
    await h.api.upsertPatrons({ patrons: [patronRecord("S407", { patron: { institutionId: "NORTH", barcode: "S407" }, name: "Northerner", homeLocation: "NORTH" })] });
    const atSouth = commands.GetPatronStatus.fromPartial({ patron: { institutionId: "SOUTH", barcode: "S407" }, pin: PIN });
    const outcome = await h.send({ $case: "getPatronStatus", value: atSouth });
    expect(standingOf(outcome)).toMatchObject({ name: "Northerner", pinValid: true, patron: { institutionId: "SOUTH", barcode: "S407" } });
    expect(h.peers.calls.loan.filter((r) => r.barcode === "S407")).toEqual([{ institutionId: "NORTH", barcode: "S407" }]);
  });

  it("does not look in other members for a terminal limited to its own institution", async () => {
    const atSouth = commands.GetPatronStatus.fromPartial({ patron: { institutionId: "SOUTH", barcode: "S407", ownInstitutionOnly: true }, pin: PIN });
    const outcome = await h.send({ $case: "getPatronStatus", value: atSouth });
    expect(outcome.result?.$case).toBe("refused");
    expect(outcome.result?.$case === "refused" && outcome.result.value.reason).toBe(commands.RefusalReason.PATRON_NOT_FOUND);
  });
});

describe("a peer that is down", () => {
  const h = new Harness();
  beforeAll(async () => {
    // A port nothing listens on: connections are refused at once.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    await h.start({}, { fee: `127.0.0.1:${port}` });
    await h.seedLibrary();
    await h.addPatron("D500");
  });
  afterAll(() => h.stop());

  it("refuses 23 BACKEND_UNAVAILABLE well before the deadline, and 01 still blocks", async () => {
    const started = Date.now();
    const outcome = await h.send(cmd.status("D500", PIN), { timeoutMs: 5_000 });
    expect(refused(outcome).reason).toBe(R.BACKEND_UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(flagsSet(accepted(await h.send(cmd.block("D500", "Kept"), { timeoutMs: 5_000 }), "blockPatron").standing!)).toEqual(DENIED_ALL);
    expect(await h.row("D500")).toMatchObject({ blocked: true });
  });
});
