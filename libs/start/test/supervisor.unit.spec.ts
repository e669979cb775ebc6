import { describe, expect, it } from "vitest";
import { type ChildEvent, type ChildState, DEFAULT_BACKOFF, describeExit, restartDelayMs, transition } from "../src/supervisor.js";

/** Runs events through the state machine, collecting what it prints and schedules. */
function run(events: ChildEvent[], from: ChildState = { phase: "starting" }) {
  let state = from;
  const said: string[] = [];
  const delays: number[] = [];
  let spawns = 0;
  for (const event of events) {
    const t = transition("loan", state, event);
    state = t.state;
    if (t.say) said.push(t.say);
    if (t.restartInMs !== undefined) delays.push(t.restartInMs);
    if (t.spawn) spawns++;
  }
  return { state, said, delays, spawns };
}

const exited = (at: number, how = "signal SIGKILL"): ChildEvent => ({ type: "exited", at, how });
const ready = (at: number): ChildEvent => ({ type: "ready", at });
const respawn: ChildEvent = { type: "respawn" };

describe("restart backoff", () => {
  it("starts at 0.5 s and doubles per consecutive failure up to 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => restartDelayMs(n))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("spreads each delay by at most ±20 % so children that died together do not restart in lock step, never beyond 30 s", () => {
    expect(restartDelayMs(1, DEFAULT_BACKOFF, 0)).toBe(400);
    expect(restartDelayMs(1, DEFAULT_BACKOFF, 0.999_999)).toBe(600);
    expect(restartDelayMs(3, DEFAULT_BACKOFF, 0.25)).toBe(1_800);
    expect(restartDelayMs(20, DEFAULT_BACKOFF, 0.999_999)).toBe(30_000);
  });

  it("names how a child ended", () => {
    expect(describeExit(null, "SIGKILL")).toBe("signal SIGKILL");
    expect(describeExit(1, null)).toBe("exit code 1");
  });
});

describe("a supervised child", () => {
  it("that dies after it was ready is restarted, with one line when it goes and one when it is back", () => {
    const r = run([ready(0), exited(10_000), respawn, ready(11_300)]);
    expect(r.said).toEqual(["loan exited (signal SIGKILL); restarting in 0.5 s", "loan is back after 1.3 s"]);
    expect(r.delays).toEqual([500]);
    expect(r.spawns).toBe(1);
    expect(r.state).toEqual({ phase: "up", since: 11_300, failures: 1 });
  });

  it("that crash-loops is still retried, backing off, and printed once when it goes and once when it is seen looping — not per attempt", () => {
    const events: ChildEvent[] = [ready(0), exited(1_000, "exit code 1")];
    for (let i = 0; i < 8; i++) events.push(respawn, exited(2_000 + i * 1_000, "exit code 1"));
    const r = run(events);
    expect(r.spawns).toBe(8);
    expect(r.delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(r.said).toEqual([
      "loan exited (exit code 1); restarting in 0.5 s",
      "loan keeps exiting (exit code 1, 3 times in a row); still restarting it, backing off up to 30.0 s",
    ]);
    expect(r.state).toMatchObject({ phase: "waiting", downSince: 1_000, failures: 9 });
  });

  it("that dies again soon after coming back waits longer; after a minute up it starts again from 0.5 s", () => {
    const soon = run([ready(0), exited(1_000), respawn, ready(2_000), exited(10_000)]);
    expect(soon.delays).toEqual([500, 1_000]);
    const later = run([ready(0), exited(1_000), respawn, ready(2_000), exited(62_000)]);
    expect(later.delays).toEqual([500, 500]);
  });

  it("that exits before it was ever ready fails the start and is not restarted (a broken setup must not loop)", () => {
    const r = run([exited(100, "exit code 1"), respawn, ready(200)]);
    expect(r).toMatchObject({ state: { phase: "failed" }, said: [], delays: [], spawns: 0 });
  });

  it("stopped on purpose is never restarted, even with a restart pending or in progress", () => {
    const stop: ChildEvent = { type: "stop" };
    const pending = run([ready(0), exited(1_000), stop, respawn, exited(2_000)]);
    expect(pending).toMatchObject({ state: { phase: "stopped" }, spawns: 0, delays: [500] });
    const inProgress = run([ready(0), exited(1_000), respawn, stop, ready(1_500), exited(2_000)]);
    expect(inProgress).toMatchObject({ state: { phase: "stopped" }, spawns: 1, said: ["loan exited (signal SIGKILL); restarting in 0.5 s"] });
    const up = run([ready(0), stop, exited(1_000)]);
    expect(up).toMatchObject({ state: { phase: "stopped" }, spawns: 0, said: [], delays: [] });
  });
});
