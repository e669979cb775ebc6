/**
 * What kiosks saw around one fault, as the figures an operator asks for: requests sent,
 * acknowledged, refused, dropped with the connection, the slowest answer, and when every kiosk
 * was served normally again: accepted within `normalMs`.
 */
import { summarize } from "@circulate/loadgen";
import type { Answer, CirculatingTerminal } from "./terminal.js";

export interface FaultWindow {
  readonly fault: string;
  readonly at: number;
  readonly until: number;
  /** Connections dropped under the kiosks during the window. */
  readonly drops: number;
}

export interface FaultFigures {
  readonly fault: string;
  readonly sent: number;
  readonly acknowledged: number;
  readonly refused: number;
  readonly dropped: number;
  readonly slowestMs: number;
  /** Answers slower than the kiosk's timeout allows: must be none. */
  readonly late: number;
  /**
   * Milliseconds from the fault until every kiosk was served normally again. A kiosk whose
   * request was lost in a killed process waits out its timeout first, so this can exceed the
   * time new requests took to be served normally (see prober.ts).
   */
  readonly everyKioskNormalAfterMs: number;
  /** The answers that were not normal, for the report. */
  readonly notNormal: readonly string[];
}

export function faultFigures(terminals: readonly CirculatingTerminal[], w: FaultWindow, normalMs: number, timeoutMs: number): FaultFigures {
  const inWindow = (a: Answer) => (a.sentAt >= w.at && a.sentAt < w.until) || (a.sentAt < w.at && a.answeredAt >= w.at);
  const normal = (a: Answer) => a.ok && a.answeredAt - a.sentAt <= normalMs;
  const answers = terminals.flatMap((t) => t.answers).filter((a) => a.sentAt >= w.at && a.sentAt < w.until);
  // Requests in flight at the fault count too: their answers are what the fault did to them.
  const all = terminals.flatMap((t) => t.answers).filter(inWindow);
  // Each kiosk is back once a request sent after its last bad answer (or its resend on a new
  // connection) is answered normally.
  const backAt = terminals.map((t) => {
    const seen = t.answers.filter(inWindow);
    const bad = seen.filter((a) => !normal(a) || a.resentAfterReconnect);
    if (bad.length === 0) return w.at;
    const lastBad = Math.max(...bad.map((a) => (normal(a) ? a.sentAt : a.answeredAt)));
    return t.answers.find((a) => normal(a) && a.sentAt >= lastBad)?.answeredAt ?? Number.POSITIVE_INFINITY;
  });
  return {
    fault: w.fault,
    sent: answers.length + w.drops,
    acknowledged: answers.filter((a) => a.ok).length,
    refused: answers.filter((a) => !a.ok).length,
    dropped: w.drops,
    slowestMs: Math.max(0, ...all.map((a) => a.answeredAt - a.sentAt)),
    late: all.filter((a) => a.answeredAt - a.sentAt > timeoutMs).length,
    everyKioskNormalAfterMs: Math.max(...backAt) - w.at,
    notNormal: all
      .filter((a) => !normal(a) || a.resentAfterReconnect)
      .map((a) => `kiosk ${a.kiosk} ${a.kind}${a.resentAfterReconnect ? " resent" : ""} sent +${a.sentAt - w.at} ms, ${a.answeredAt - a.sentAt} ms: ${a.screen}`),
  };
}

/** Requests per second and latency percentiles of the answers sent in [from, to). */
export function loadFigures(terminals: readonly CirculatingTerminal[], from: number, to: number) {
  const answers = terminals.flatMap((t) => t.answers).filter((a) => a.sentAt >= from && a.sentAt < to);
  const latency = summarize(answers.map((a) => a.answeredAt - a.sentAt));
  return {
    requests: answers.length,
    perSecond: Math.round((answers.length / ((to - from) / 1000)) * 10) / 10,
    p50Ms: latency?.p50 ?? 0,
    p99Ms: latency?.p99 ?? 0,
    refused: answers.filter((a) => !a.ok).length,
  };
}
