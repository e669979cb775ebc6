/**
 * New requests while a fault goes on, to say when service is normal again. Several connections,
 * spread over the gateways, each ask in turn for a checkout the loan service must decide and
 * refuse (the item is on loan to another patron): it goes the whole path of a checkout — the
 * patron's check and its barrier, the loan service's barrier on peers' facts, the loan rules —
 * and changes nothing. The working kiosks cannot say this: one waiting out a request lost in a
 * killed process sends nothing new.
 */
import type { Kiosk } from "./kiosk.js";
import * as rq from "./requests.js";
import { BACKEND_REFUSALS, kiosk1At } from "./terminal.js";

export interface Probe {
  readonly sentAt: number;
  readonly answeredAt: number;
  /** Answered with a decision (the loan rule's refusal), not a backend refusal, a drop or silence. */
  readonly decided: boolean;
}

export class Prober {
  readonly probes: Probe[] = [];
  #stopping = false;
  #loops: Promise<void>[] = [];

  constructor(
    private readonly ports: readonly number[],
    private readonly patron: string,
    private readonly itemOnLoanToAnother: string,
    private readonly loops = 6,
    private readonly pauseMs = 250,
  ) {}

  start(): void {
    this.#loops = Array.from({ length: this.loops }, (_, i) => this.#loop(i));
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#loops);
  }

  /**
   * Milliseconds from `at` until every probe sent later (before `until`) was decided within
   * `normalMs`; 0 when none sent after `at` failed.
   */
  normalAfter(at: number, until: number, normalMs: number): number {
    const failed = this.probes.filter((p) => p.sentAt >= at && p.sentAt < until && (!p.decided || p.answeredAt - p.sentAt > normalMs));
    return Math.max(at, ...failed.map((p) => p.sentAt)) - at;
  }

  /** Probes sent in [at, until), decided or not. */
  count(at: number, until: number): { sent: number; decided: number } {
    const sent = this.probes.filter((p) => p.sentAt >= at && p.sentAt < until);
    return { sent: sent.length, decided: sent.filter((p) => p.decided).length };
  }

  async #loop(i: number): Promise<void> {
    // Staggered, so the samples are spread over time.
    await new Promise((r) => setTimeout(r, (i * this.pauseMs) / this.loops));
    let gateway = i % this.ports.length;
    let kiosk: Kiosk | undefined;
    while (!this.#stopping) {
      const sentAt = Date.now();
      let decided = false;
      try {
        kiosk ??= await kiosk1At(this.ports[gateway]!, `PROBE${i}`);
        const m = (await kiosk.ask(rq.checkout(this.patron, this.itemOnLoanToAnother))).message as { code: string; ok?: boolean; screenMessages?: string[] };
        decided = m.code === "12" && m.ok === false && !BACKEND_REFUSALS.includes(m.screenMessages?.[0] ?? "");
      } catch {
        kiosk?.close();
        kiosk = undefined;
        gateway = (gateway + 1) % this.ports.length;
      }
      this.probes.push({ sentAt, answeredAt: Date.now(), decided });
      await new Promise((r) => setTimeout(r, this.pauseMs));
    }
    kiosk?.close();
  }
}
