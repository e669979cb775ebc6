import { describe, expect, it } from "vitest";
import { progressOutput } from "../src/progress-output.js";
import { formatDuration, formatProgress, type ImportProgress, ProgressMeter } from "../src/progress.js";

const loading = (over: Partial<ImportProgress> = {}): ImportProgress => ({
  phase: "loading",
  section: "items",
  done: 250_000,
  total: 1_000_000,
  fraction: 0.25,
  recordsPerSecond: 8120.4,
  secondsLeft: 92.3,
  elapsedSeconds: 30.8,
  finished: false,
  ...over,
});

describe("progress lines", () => {
  it("loading: done/total, percent, records/s and time left", () => {
    expect(formatProgress(loading())).toBe("items: 250,000/1,000,000 (25 %), 8,120 records/s, 1m 32s left");
  });

  it("validating, before the records are counted: records read and the share of the input read", () => {
    expect(formatProgress(loading({ phase: "validating", section: "records", total: undefined, fraction: 0.5, recordsPerSecond: 180_000, secondsLeft: 3 }))).toBe(
      "validating: 250,000 records (50 %), 180,000 records/s, 3s left",
    );
  });

  it("a finished section says how long it took; no estimate yet says nothing about time", () => {
    expect(formatProgress(loading({ done: 1_000_000, fraction: 1, finished: true, secondsLeft: 0, elapsedSeconds: 3725 }))).toBe(
      "items: 1,000,000/1,000,000 (100 %), 8,120 records/s, took 1h 02m",
    );
    expect(formatProgress(loading({ done: 0, fraction: 0, recordsPerSecond: 0, secondsLeft: undefined }))).toBe("items: 0/1,000,000 (0 %), 0 records/s");
  });

  it("durations: seconds, minutes and seconds, hours and minutes", () => {
    expect([formatDuration(0), formatDuration(59.4), formatDuration(60), formatDuration(3599), formatDuration(7260)]).toEqual(["0s", "59s", "1m 00s", "59m 59s", "2h 01m"]);
  });
});

describe("ProgressMeter", () => {
  it("reports at most once an interval, estimates the time left from the rate so far, and always reports the end", () => {
    let now = 0;
    const meter = new ProgressMeter("loading", "items", 1000, () => now, 1000);
    expect(meter.update(0)).toMatchObject({ done: 0, secondsLeft: undefined });
    now = 500;
    expect(meter.update(100)).toBeUndefined();
    now = 2000;
    expect(meter.update(250)).toMatchObject({ done: 250, fraction: 0.25, recordsPerSecond: 125, secondsLeft: 6, finished: false });
    now = 2100;
    expect(meter.finish(1000)).toMatchObject({ done: 1000, total: 1000, fraction: 1, secondsLeft: 0, finished: true });
  });

  it("while validating, takes the share of bytes read and learns the total at the end", () => {
    let now = 0;
    const meter = new ProgressMeter("validating", "records", undefined, () => now, 0);
    now = 1000;
    expect(meter.update(5000, 0.5)).toMatchObject({ total: undefined, fraction: 0.5, secondsLeft: 1 });
    now = 2000;
    expect(meter.finish(10_000)).toMatchObject({ total: 10_000, fraction: 1 });
  });
});

describe("the command's progress output", () => {
  const sink = (isTTY: boolean) => {
    let text = "";
    return { isTTY, write: (s: string) => (text += s), text: () => text };
  };

  it("on a terminal rewrites one line and ends it when the section ends", () => {
    const out = sink(true);
    const p = progressOutput(out, () => 0);
    p.show(loading());
    p.show(loading({ done: 500_000, fraction: 0.5 }));
    p.show(loading({ done: 1_000_000, fraction: 1, finished: true }));
    p.end();
    expect(out.text().split("\r").slice(1)).toEqual([
      "items: 250,000/1,000,000 (25 %), 8,120 records/s, 1m 32s left\x1b[K",
      "items: 500,000/1,000,000 (50 %), 8,120 records/s, 1m 32s left\x1b[K",
      "items: 1,000,000/1,000,000 (100 %), 8,120 records/s, took 31s\x1b[K\n",
    ]);
  });

  it("in a log prints a line every few seconds at most, and a section's end if it printed before or took a second", () => {
    const out = sink(false);
    let now = 0;
    const p = progressOutput(out, () => now);
    p.show(loading({ section: "patrons", done: 10, total: 10, fraction: 1, finished: true, elapsedSeconds: 0.2 }));
    p.show(loading({ phase: "validating", section: "records", done: 1_000_000, total: 1_000_000, fraction: 1, finished: true, elapsedSeconds: 4 }));
    now = 1000;
    p.show(loading());
    now = 5000;
    p.show(loading({ done: 300_000 }));
    now = 6000;
    p.show(loading({ done: 310_000 }));
    now = 7000;
    p.show(loading({ done: 1_000_000, fraction: 1, finished: true }));
    expect(out.text()).toBe(
      [
        "validating: 1,000,000/1,000,000 (100 %), 8,120 records/s, took 4s",
        "items: 300,000/1,000,000 (25 %), 8,120 records/s, 1m 32s left",
        "items: 1,000,000/1,000,000 (100 %), 8,120 records/s, took 31s",
        "",
      ].join("\n"),
    );
  });
});
