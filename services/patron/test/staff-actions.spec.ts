import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepted, cmd, DENIED_ALL, flagsSet, Harness, PIN, standingOf } from "./support.js";

describe("staff actions over the admin API record who did them", () => {
  const h = new Harness();
  beforeAll(async () => {
    await h.start();
    await h.seedLibrary();
  });
  afterAll(() => h.stop());

  it("SetCardLost records the staff member on the lost and the found event, stored and published; a repeat changes nothing", async () => {
    await h.addPatron("S100");
    const lost = await h.api.setCardLost("S100", true, " jdoe ");
    expect(lost.patron).toMatchObject({ cardLost: true });
    const reported = (await h.stream("S100")).at(-1)!;
    expect(reported).toMatchObject({ type: "PatronCardReportedLost", data: { staff: "jdoe" } });
    expect((await h.published(reported.eventId)).event).toMatchObject({ type: "PatronCardReportedLost", event: { staff: "jdoe" } });
    expect(flagsSet(standingOf(await h.send(cmd.status("S100", PIN))))).toEqual([...DENIED_ALL, "cardReportedLost"].sort());

    await h.api.setCardLost("S100", true, "someone-else");
    expect((await h.types("S100")).filter((t) => t === "PatronCardReportedLost")).toHaveLength(1);

    const found = await h.api.setCardLost("S100", false, "asmith");
    expect(found.patron).toMatchObject({ cardLost: false });
    const back = (await h.stream("S100")).at(-1)!;
    expect(back).toMatchObject({ type: "PatronCardFound", data: { staff: "asmith" } });
    expect((await h.published(back.eventId)).event).toMatchObject({ type: "PatronCardFound", event: { staff: "asmith" } });
  });

  it("SetCardLost from a caller that names no staff (older than the field) still applies and records staff empty", async () => {
    await h.addPatron("S101");
    expect((await h.api.setCardLost("S101", true, "")).patron).toMatchObject({ cardLost: true });
    expect((await h.stream("S101")).at(-1)).toMatchObject({ type: "PatronCardReportedLost", data: { staff: "" } });
  });

  it("BlockPatron blocks as 01 does, naming the staff member and the reason, stored and published; a repeat changes nothing", async () => {
    await h.addPatron("S200");
    const blocked = await h.api.blockPatron("S200", "jdoe", " owes for a lost laptop ");
    expect(blocked.patron).toMatchObject({ blocked: true, blockReason: "owes for a lost laptop" });
    const event = (await h.stream("S200")).at(-1)!;
    expect(event).toMatchObject({
      type: "PatronBlocked",
      data: { reason: "owes for a lost laptop", staff: "jdoe", terminalAccount: "", cardRetained: false },
    });
    expect((await h.published(event.eventId)).event).toMatchObject({ type: "PatronBlocked", event: { staff: "jdoe", reason: "owes for a lost laptop" } });
    expect(flagsSet(standingOf(await h.send(cmd.status("S200", PIN))))).toEqual(DENIED_ALL);

    await h.api.blockPatron("S200", "asmith", "owes for a lost laptop");
    expect((await h.types("S200")).filter((t) => t === "PatronBlocked")).toHaveLength(1);
  });

  it("BlockPatron and UnblockPatron are refused INVALID_ARGUMENT without a staff name (and a block without a reason), NOT_FOUND for an unknown card; nothing recorded", async () => {
    await h.addPatron("S201");
    const before = (await h.stream("S201")).length;
    await expect(h.api.blockPatron("S201", " ", "why")).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await expect(h.api.blockPatron("S201", "jdoe", "")).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await h.send(cmd.block("S201", "Card retained", true));
    await expect(h.api.unblockPatron("S201", "")).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    expect(await h.stream("S201")).toHaveLength(before + 1);
    await expect(h.api.blockPatron("NOBODY", "jdoe", "why")).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(h.api.unblockPatron("NOBODY", "jdoe")).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it("UnblockPatron lifts a kiosk's 01 block with the rule of 25, naming who and why; the kiosk's block stays on record", async () => {
    await h.addPatron("S202");
    await h.send(cmd.block("S202", "Card retained at kiosk", true));
    const lifted = await h.api.unblockPatron("S202", "asmith", "patron came to the desk");
    expect(lifted.patron).toMatchObject({ blocked: false, blockReason: "" });
    const stream = await h.stream("S202");
    expect(stream.slice(-2)).toMatchObject([
      { type: "PatronBlocked", data: { terminalAccount: "kiosk-1", staff: "" } },
      { type: "PatronEnabled", data: { staff: "asmith", reason: "patron came to the desk", terminalAccount: "" } },
    ]);
    expect((await h.published(stream.at(-1)!.eventId)).event).toMatchObject({ type: "PatronEnabled", event: { staff: "asmith", reason: "patron came to the desk" } });
    const standing = standingOf(await h.send(cmd.status("S202", PIN)));
    expect(flagsSet(standing)).toEqual([]);

    await h.api.unblockPatron("S202", "asmith");
    expect((await h.types("S202")).filter((t) => t === "PatronEnabled")).toHaveLength(1);
  });

  it("an import does not lift a block staff set here (the source system knows nothing of it); staff do", async () => {
    await h.addPatron("S203");
    await h.api.blockPatron("S203", "jdoe", "abusive behaviour");
    await h.addPatron("S203", { name: "Patron S203 renamed" });
    expect((await h.api.getPatron("S203")).patron).toMatchObject({ blocked: true, blockReason: "abusive behaviour", name: "Patron S203 renamed" });
    await h.api.unblockPatron("S203", "jdoe", "apologised");
    const reply = accepted(await h.send(cmd.enable("S203", PIN)), "enablePatron");
    expect(flagsSet(reply.standing!)).toEqual([]);
    expect((await h.api.getPatron("S203")).patron).toMatchObject({ blocked: false });
  });
});
