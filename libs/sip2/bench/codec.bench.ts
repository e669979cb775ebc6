/**
 * Codec throughput on a realistic mix: 11 checkout, 12 checkout response, 64 patron
 * information with item lists, 10 checkin response with sorter fields. Prints messages per
 * second for parse and encode, per message and for the whole mix.
 *
 * Run: pnpm --filter @circulate/sip2 bench   (ITERATIONS=200000 to change the count)
 */
import { performance } from "node:perf_hooks";
import { type EncodeOptions, encodeMessage, noFlags, PatronStatusPosition, parseMessage, Sip2Framer, type SipMessage } from "../src/index.js";

const ITERATIONS = Number(process.env.ITERATIONS ?? 100_000);
const WARMUP = Math.max(1_000, Math.floor(ITERATIONS / 10));
const opts: EncodeOptions = { timeZone: "America/New_York", charset: "ibm850", sequence: 4 };
const now = new Date("2025-01-15T15:30:00Z");

const MIX: Array<[string, SipMessage]> = [
  [
    "11 checkout",
    {
      code: "11",
      scRenewalPolicy: true,
      noBlock: false,
      transactionDate: now,
      nbDueDate: null,
      institutionId: "MAIN",
      patronIdentifier: "21234000012345",
      itemIdentifier: "31234000067890",
      terminalPassword: "",
      feeAcknowledged: false,
    },
  ],
  [
    "12 checkout response",
    {
      code: "12",
      ok: true,
      renewalOk: false,
      magneticMedia: "N",
      desensitize: "Y",
      transactionDate: now,
      institutionId: "MAIN",
      patronIdentifier: "21234000012345",
      itemIdentifier: "31234000067890",
      titleIdentifier: "Hobbitten, eller Fram og tilbake igjen",
      dueDate: "20250205    235900",
      mediaType: "001",
      screenMessages: ["Lånt ut til 5. februar"],
    },
  ],
  [
    "64 patron info + lists",
    {
      code: "64",
      patronStatus: noFlags(PatronStatusPosition),
      language: "012",
      transactionDate: now,
      holdItemsCount: 2,
      overdueItemsCount: 1,
      chargedItemsCount: 12,
      fineItemsCount: 1,
      recallItemsCount: 0,
      unavailableHoldsCount: 0,
      institutionId: "MAIN",
      patronIdentifier: "21234000012345",
      personalName: "Zoë Åsheim",
      holdItemsLimit: 10,
      chargedItemsLimit: 50,
      validPatron: true,
      validPatronPassword: true,
      currencyType: "NOK",
      feeAmount: "25.00",
      chargedItems: Array.from({ length: 12 }, (_, i) => `3123400006${String(i).padStart(4, "0")}`),
      screenMessages: ["Velkommen, Zoë"],
    },
  ],
  [
    "10 checkin + sorter",
    {
      code: "10",
      ok: true,
      resensitize: true,
      magneticMedia: "N",
      alert: true,
      transactionDate: now,
      institutionId: "MAIN",
      itemIdentifier: "31234000067890",
      permanentLocation: "MAIN",
      titleIdentifier: "The Hobbit",
      sortBin: "B2",
      mediaType: "001",
      collectionCode: "FIC",
      callNumber: "FIC TOL",
      destinationLocation: "EAST",
      alertType: "02",
      holdPatronId: "21234000099999",
      holdPatronName: "Smith, Jane",
      screenMessages: ["Item on hold for another patron"],
    },
  ],
];

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString("en-US")}`.padStart(12);
}

function time(fn: () => void, n: number, warmup = WARMUP): number {
  for (let i = 0; i < warmup; i++) fn();
  const start = performance.now();
  for (let i = 0; i < n; i++) fn();
  return performance.now() - start;
}

let sink = 0;
console.log(`sip2 codec benchmark — ${ITERATIONS.toLocaleString("en-US")} iterations per row, ${WARMUP.toLocaleString("en-US")} warm-up, node ${process.version}`);
console.log(`${"message".padEnd(24)} ${"bytes".padStart(6)} ${"parse msg/s".padStart(12)} ${"encode msg/s".padStart(12)}`);
const frames = MIX.map(([, m]) => encodeMessage(m, opts));
for (const [i, [label, message]] of MIX.entries()) {
  const frame = frames[i]!;
  const check = parseMessage(frame, opts);
  if (!check.ok || check.checksum !== "valid") throw new Error(`${label}: does not round-trip`);
  const p = time(() => {
    const r = parseMessage(frame, opts);
    if (r.ok) sink++;
  }, ITERATIONS);
  const e = time(() => {
    sink += encodeMessage(message, opts).length;
  }, ITERATIONS);
  console.log(`${label.padEnd(24)} ${String(frame.length).padStart(6)} ${rate(ITERATIONS, p)} ${rate(ITERATIONS, e)}`);
}

const total = ITERATIONS * MIX.length;
const parseAll = time(() => {
  for (const f of frames) if (parseMessage(f, opts).ok) sink++;
}, ITERATIONS);
const encodeAll = time(() => {
  for (const [, m] of MIX) sink += encodeMessage(m, opts).length;
}, ITERATIONS);
console.log(`${"mix (all four)".padEnd(24)} ${"".padStart(6)} ${rate(total, parseAll)} ${rate(total, encodeAll)}`);

// Framing: the mix as one byte stream in 1460-byte TCP segments.
const stream = Buffer.concat(Array.from({ length: 1000 }, () => Buffer.concat(frames)));
const framerMs = time(() => {
  const framer = new Sip2Framer();
  for (let pos = 0; pos < stream.length; pos += 1460) sink += framer.push(stream.subarray(pos, pos + 1460)).length;
}, 50, 5);
console.log(`${"framer (1460-byte segs)".padEnd(24)} ${"".padStart(6)} ${rate(50 * 4000, framerMs)} ${"".padStart(12)}`);
if (sink === 42) console.log("");
