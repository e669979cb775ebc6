import { describe, expect, it } from "vitest";
import { chooseLibrary, DEMO_NAMESPACE, UsageError } from "../src/library.js";
import { OWN_NAMESPACE } from "../src/plan.js";

const flags = (f: { library?: string; noDemo?: boolean; keep?: boolean } = {}) => ({ noDemo: false, keep: false, ...f });

describe("which library pnpm start presents, and whether it is reset", () => {
  it("the demo by default, in its own namespace, reset at every start", () => {
    expect(chooseLibrary(flags(), {})).toEqual({ kind: "demo", importFrom: "infra/demo", namespace: DEMO_NAMESPACE, reset: true });
    expect(DEMO_NAMESPACE).not.toMatchObject({ databasePrefix: OWN_NAMESPACE.databasePrefix });
    expect(DEMO_NAMESPACE.streamPrefix).not.toBe(OWN_NAMESPACE.streamPrefix);
  });

  it("keeps the demo with --keep or CIRCULATE_KEEP_DEMO=true", () => {
    expect(chooseLibrary(flags({ keep: true }), {})).toMatchObject({ kind: "demo", reset: false });
    expect(chooseLibrary(flags(), { CIRCULATE_KEEP_DEMO: "true" })).toMatchObject({ kind: "demo", reset: false });
    expect(chooseLibrary(flags(), { CIRCULATE_KEEP_DEMO: "false" })).toMatchObject({ reset: true });
  });

  it("never resets a user's library, whatever the flags and variables say", () => {
    const own = chooseLibrary(flags({ library: "/data/lib.json" }), { CIRCULATE_KEEP_DEMO: "false" });
    expect(own).toEqual({ kind: "own", importFrom: "/data/lib.json", namespace: OWN_NAMESPACE, reset: false });
    expect(chooseLibrary(flags({ noDemo: true }), {})).toEqual({ kind: "own", importFrom: null, namespace: OWN_NAMESPACE, reset: false });
  });

  it("says what is wrong with flags that contradict each other or a bad variable", () => {
    expect(() => chooseLibrary(flags({ library: "x.json", noDemo: true }), {})).toThrow(UsageError);
    expect(() => chooseLibrary(flags({ library: "x.json", keep: true }), {})).toThrow(/--keep is for the demo/);
    expect(() => chooseLibrary(flags({ library: "" }), {})).toThrow(/--library needs/);
    expect(() => chooseLibrary(flags(), { CIRCULATE_KEEP_DEMO: "yes please" })).toThrow(/CIRCULATE_KEEP_DEMO must be true or false/);
  });
});
