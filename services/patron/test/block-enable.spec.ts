import { commands } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepted, cmd, DENIED_ALL, flagsSet, Harness, PIN, refused, standingOf } from "./support.js";

const R = commands.RefusalReason;

describe("01 block patron, 25 patron enable, 35 end patron session", () => {
  const h = new Harness();
  beforeAll(async () => {
    await h.start();
    await h.seedLibrary();
  });
  afterAll(() => h.stop());

  it("01 blocks: PatronBlocked stored, patrons row updated, event on JetStream, reply with every privilege denied", async () => {
    await h.addPatron("B200");
    const outcome = await h.send(cmd.block("B200", "Card retained at kiosk", true));

    const reply = accepted(outcome, "blockPatron");
    expect(reply.standing).toMatchObject({ validPatron: true, name: "Patron B200" });
    expect(flagsSet(reply.standing!)).toEqual(DENIED_ALL);

    const stream = await h.stream("B200");
    const blocked = stream.at(-1)!;
    expect(blocked).toMatchObject({
      type: "PatronBlocked",
      data: { reason: "Card retained at kiosk", cardRetained: true, terminalAccount: "kiosk-1" },
      metadata: { institution: "MAIN", correlationId: outcome.correlationId, causationId: outcome.commandId },
    });
    const row = await h.row("B200");
    expect(row).toMatchObject({ blocked: true, block_message: "Card retained at kiosk", block_card_retained: true, block_terminal: "kiosk-1", version: stream.length });

    const published = await h.published(blocked.eventId);
    expect(published.subject).toBe(`${h.nats.subjectPrefix}.evt.patron.PatronBlocked`);
    expect(published.envelope).toMatchObject({ institutionId: "MAIN", correlationId: outcome.correlationId, streamPosition: stream.length });
    expect(published.event).toMatchObject({
      type: "PatronBlocked",
      event: { patronId: row!.patron_id, reason: "Card retained at kiosk", cardRetained: true, terminalAccount: "kiosk-1" },
    });
  });

  it("a blocked patron's 23 denies charge, renewal, recall and hold privileges, still BL=Y, and GetPatron says blocked", async () => {
    await h.addPatron("B201");
    await h.send(cmd.block("B201", "Blocked"));
    const standing = standingOf(await h.send(cmd.status("B201", PIN)));
    expect(standing).toMatchObject({ validPatron: true, pinValid: true });
    expect(flagsSet(standing)).toEqual(DENIED_ALL);
    expect((await h.api.getPatron("B201")).patron).toMatchObject({ blocked: true, blockReason: "Blocked" });
  });

  it("blocking again with the same message changes nothing; the same 01 delivered twice is applied once", async () => {
    await h.addPatron("B202");
    const envelope = h.envelope(cmd.block("B202", "Kept"));
    const [first, second] = await h.publish(envelope, 2);
    expect(second!.result).toEqual(first!.result);
    await h.send(cmd.block("B202", "Kept"));
    expect((await h.types("B202")).filter((t) => t === "PatronBlocked")).toHaveLength(1);
  });

  it("01 still blocks when the loan events cannot be applied in time (usage is best-effort for a block)", async () => {
    await h.addPatron("B203");
    await h.whileStuck("patron_loans", async () => {
      await h.peers.lend(await h.patron("B203"), "I1", 5);
      const reply = accepted(await h.send(cmd.block("B203", "Kept"), { timeoutMs: 1_500 }), "blockPatron");
      expect(flagsSet(reply.standing!)).toEqual(DENIED_ALL);
      // Decided without usage (loans and fees are read together): no fees owed reported.
      expect(reply.standing!.feesOwed).toBeUndefined();
    });
    expect(await h.row("B203")).toMatchObject({ blocked: true });
  });

  it("01 for an unknown barcode is refused PATRON_NOT_FOUND", async () => {
    expect(refused(await h.send(cmd.block("NOBODY", "Kept"))).reason).toBe(R.PATRON_NOT_FOUND);
  });

  it("25 lifts the block: PatronEnabled stored and published, row unblocked, 23 grants privileges again", async () => {
    await h.addPatron("B204");
    await h.send(cmd.block("B204", "Kept"));
    const outcome = await h.send(cmd.enable("B204", PIN));
    const reply = accepted(outcome, "enablePatron");
    expect(reply.standing).toMatchObject({ validPatron: true, pinValid: true });
    expect(flagsSet(reply.standing!)).toEqual([]);

    const enabled = (await h.stream("B204")).at(-1)!;
    expect(enabled).toMatchObject({ type: "PatronEnabled", data: { terminalAccount: "kiosk-1" } });
    expect(await h.row("B204")).toMatchObject({ blocked: false, block_message: "" });
    expect((await h.published(enabled.eventId)).event).toMatchObject({ type: "PatronEnabled" });
    expect(flagsSet(standingOf(await h.send(cmd.status("B204", PIN))))).toEqual([]);
  });

  it("25 with a wrong PIN is refused PATRON_PIN_INVALID, the block stays and the failure counts", async () => {
    await h.addPatron("B205");
    await h.send(cmd.block("B205", "Kept"));
    const refusal = refused(await h.send(cmd.enable("B205", "0000")));
    expect(refusal.reason).toBe(R.PATRON_PIN_INVALID);
    expect(refusal.patron).toMatchObject({ pinValid: false, validPatron: true });
    expect(await h.row("B205")).toMatchObject({ blocked: true, pin_failures: 1 });
  });

  it("25 lifts only the manual block: a lost card keeps its flags", async () => {
    await h.addPatron("B206");
    await h.send(cmd.block("B206", "Kept"));
    await h.api.setCardLost("B206", true);
    const reply = accepted(await h.send(cmd.enable("B206")), "enablePatron");
    expect(flagsSet(reply.standing!)).toEqual([...DENIED_ALL, "cardReportedLost"].sort());
    expect(await h.row("B206")).toMatchObject({ blocked: false, card_lost: true });
  });

  it("35 end session is accepted for known and unknown patrons and writes nothing", async () => {
    await h.addPatron("B207");
    const before = await h.stream("B207");
    accepted(await h.send(cmd.endSession("B207", "0000")), "endPatronSession");
    accepted(await h.send(cmd.endSession("NOBODY")), "endPatronSession");
    // Even a wrong PIN is not checked, so it cannot count towards a lock.
    expect(await h.stream("B207")).toEqual(before);
    expect(await h.row("B207")).toMatchObject({ pin_failures: 0 });
  });
});
