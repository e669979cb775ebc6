import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cmd, DENIED_ALL, flagsSet, Harness, PIN, standingOf } from "./support.js";

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
});
