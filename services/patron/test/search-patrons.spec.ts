import type { patron } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Harness, MAIN, patronRecord } from "./support.js";

const NAMES: Record<string, string> = {
  N001: "Ada Lovelace",
  N002: "ada King",
  N003: "Adam Smith",
  N004: "Grace Ada Hopper",
  N005: "ADA LOVELACE",
  N006: "100% Reader",
  N007: "100 Readers",
  N008: "Ab_c",
  N009: "Abxc",
};

describe("SearchPatrons: staff find patrons by the start of the name", () => {
  const h = new Harness();
  beforeAll(async () => {
    await h.start();
    await h.seedLibrary();
    await h.api.upsertInstitutions({ institutions: [{ institutionId: "EAST", name: "East Branch", timeZone: "America/Chicago", currency: "USD", consortiumId: "" }] });
    await h.api.upsertPatrons({ patrons: Object.entries(NAMES).map(([barcode, name]) => patronRecord(barcode, { name })) });
    await h.api.upsertPatrons({ patrons: [patronRecord("E001", { patron: { institutionId: "EAST", barcode: "E001" }, name: "Ada East", homeLocation: "EAST" })] });
  });
  afterAll(() => h.stop());

  const names = (r: patron.SearchPatronsResponse) => r.patrons.map((p) => `${p.patron?.barcode} ${p.name}`);

  it("matches the start of the name in any case, in the named institution only, by name then barcode", async () => {
    const found = await h.api.searchPatrons({ institutionId: MAIN, namePrefix: "aDa" });
    expect(names(found)).toEqual(["N002 ada King", "N001 Ada Lovelace", "N005 ADA LOVELACE", "N003 Adam Smith"]);
    expect(found.more).toBe(false);
    expect(found.patrons[0]).toMatchObject({ patron: { institutionId: MAIN, barcode: "N002" }, pinSet: true, blocked: false });
    expect(names(await h.api.searchPatrons({ institutionId: "EAST", namePrefix: "ada" }))).toEqual(["E001 Ada East"]);
    expect(names(await h.api.searchPatrons({ institutionId: MAIN, namePrefix: "ada l" }))).toEqual(["N001 Ada Lovelace", "N005 ADA LOVELACE"]);
  });

  it("returns at most the limit and says there are more", async () => {
    const two = await h.api.searchPatrons({ institutionId: MAIN, namePrefix: "ada", limit: 2 });
    expect(names(two)).toEqual(["N002 ada King", "N001 Ada Lovelace"]);
    expect(two.more).toBe(true);
    expect((await h.api.searchPatrons({ institutionId: MAIN, namePrefix: "ada", limit: 4 })).more).toBe(false);
  });

  it("takes % and _ as themselves, not as wildcards", async () => {
    expect(names(await h.api.searchPatrons({ institutionId: MAIN, namePrefix: "100%" }))).toEqual(["N006 100% Reader"]);
    expect(names(await h.api.searchPatrons({ institutionId: MAIN, namePrefix: "ab_" }))).toEqual(["N008 Ab_c"]);
    expect(names(await h.api.searchPatrons({ institutionId: MAIN, namePrefix: "%" }))).toEqual([]);
  });

  it("refuses INVALID_ARGUMENT without an institution or a prefix, or above 100", async () => {
    const code = (p: Promise<unknown>) => p.then(() => grpc.status.OK, (err: grpc.ServiceError) => err.code);
    expect(await code(h.api.searchPatrons({ institutionId: "", namePrefix: "ada" }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code(h.api.searchPatrons({ institutionId: MAIN, namePrefix: "  " }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code(h.api.searchPatrons({ institutionId: MAIN, namePrefix: "ada", limit: 101 }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code(h.api.searchPatrons({ institutionId: MAIN, namePrefix: "ada", limit: 100 }))).toBe(grpc.status.OK);
  });
});
