import { useCallback, useEffect, useState } from "preact/hooks";
import { api, enc, explain, label, type Me, type Money, may, money, when } from "./api.js";
import { History } from "./history.js";
import { Lookup } from "./lookup.js";
import { PatronSearch } from "./patron-search.js";
import { ReasonAction } from "./reason.js";

interface PatronView {
  name: string;
  institution: string;
  barcode: string;
  patronType: string;
  homeLocation: string;
  expiresAt: string | null;
  blocked: boolean;
  blockReason: string;
  cardLost: boolean;
  pinLocked: boolean;
  pinLockedUntil: string | null;
  standing: { validPatron: boolean; flags: Record<string, boolean> };
  counts: { loans: number; overdue: number; recalled: number; holdsAvailable: number; holdsWaiting: number; charges: number };
  owed: Money;
}
interface Charge {
  feeId: string;
  feeType: string;
  description: string;
  title: string;
  amount: Money;
  outstanding: Money;
  chargedAt: string | null;
}
interface Loan {
  loanId: string;
  item: { barcode: string };
  title: string;
  dueAt: string | null;
  overdue: boolean;
  recalled: boolean;
}
interface Hold {
  holdId: string;
  title: string;
  status: string;
  queuePosition: number;
  pickupLocation: string;
  pickupBy: string | null;
}
interface Loaded {
  patron: PatronView;
  fees: { balance: Money; charges: Charge[] };
  loans: { loans: Loan[] };
  holds: { holds: Hold[] };
}

export function Patron({ me, institution, barcode }: { me: Me; institution: string | undefined; barcode: string | undefined }) {
  const [data, setData] = useState<Loaded>();
  const [problem, setProblem] = useState("");
  const [said, setSaid] = useState("");
  const acts = may(me, "circulation");
  const path = institution && barcode ? `/api/patrons/${enc(institution)}/${enc(barcode)}` : undefined;

  const load = useCallback(async () => {
    if (!path) return;
    setProblem("");
    try {
      const [patron, fees, loans, holds] = await Promise.all([
        api<PatronView>("GET", path),
        api<Loaded["fees"]>("GET", `${path}/fees`),
        api<Loaded["loans"]>("GET", `${path}/loans`),
        api<Loaded["holds"]>("GET", `${path}/holds`),
      ]);
      setData({ patron, fees, loans, holds });
    } catch (err) {
      setData(undefined);
      setProblem(explain(err));
    }
  }, [path]);
  useEffect(() => {
    setData(undefined);
    setSaid("");
    void load();
  }, [load]);

  const act = async (what: string, call: () => Promise<unknown>) => {
    setProblem("");
    try {
      await call();
      // What was done shows with the patron as it is now, never beside the old state.
      await load();
      setSaid(what);
    } catch (err) {
      setProblem(explain(err));
    }
  };

  const p = data?.patron;
  const flags = p ? Object.entries(p.standing.flags).filter(([, on]) => on) : [];
  return (
    <section>
      <h1>Patron</h1>
      <Lookup page="patron" institution={institution} barcode={barcode} label="Patron" />
      <PatronSearch institution={institution} />
      {problem && <p class="problem" role="alert">{problem}</p>}
      {said && <p class="said" role="status">{said}</p>}
      {p && data && (
        <>
          <div class="card" data-testid="patron">
            <h2>
              {p.name} <span class="muted">{`${p.institution}/${p.barcode}`}</span>
            </h2>
            <p>
              <span class={`badge ${p.standing.validPatron ? "connected" : "bad"}`}>{p.standing.validPatron ? "valid patron" : "not valid"}</span>
              {p.blocked && <span class="badge bad">blocked{p.blockReason ? `: ${p.blockReason}` : ""}</span>}
              {p.cardLost && <span class="badge bad">card lost</span>}
              {p.pinLocked && (
                <span class="badge bad" data-testid="pin-locked">
                  PIN locked{p.pinLockedUntil ? ` until ${when(p.pinLockedUntil)}` : ""}
                </span>
              )}
              {flags.map(([f]) => (
                <span key={f} class="badge flag">
                  {f}
                </span>
              ))}
            </p>
            <dl>
              <dt>Type</dt>
              <dd>{p.patronType || "—"}</dd>
              <dt>Home</dt>
              <dd>{p.homeLocation || "—"}</dd>
              <dt>Expires</dt>
              <dd>{when(p.expiresAt)}</dd>
              <dt>Loans</dt>
              <dd>
                {p.counts.loans} ({p.counts.overdue} overdue, {p.counts.recalled} recalled)
              </dd>
              <dt>Holds</dt>
              <dd>
                {p.counts.holdsAvailable} available, {p.counts.holdsWaiting} waiting
              </dd>
              <dt>Owes</dt>
              <dd data-testid="owed">{money(p.owed)}</dd>
            </dl>
            {acts && (
              <div class="actions">
                {p.pinLocked && (
                  <button type="button" onClick={() => act("PIN lock lifted", () => api("POST", `${path}/unlock-pin`, {}))}>
                    Unlock PIN
                  </button>
                )}
                <button
                  type="button"
                  onClick={() => act(p.cardLost ? "Card recorded found" : "Card recorded lost", () => api("POST", `${path}/card-lost`, { lost: !p.cardLost }))}
                >
                  {p.cardLost ? "Card found" : "Report card lost"}
                </button>
                {p.blocked ? (
                  <ReasonAction label="Unblock" submitLabel="Unblock" formClass="unblock" optional onSubmit={(reason) => act("Block lifted", () => api("POST", `${path}/unblock`, reason ? { reason } : {}))} />
                ) : (
                  <ReasonAction label="Block" submitLabel="Block" formClass="block" onSubmit={(reason) => act("Patron blocked", () => api("POST", `${path}/block`, { reason }))} />
                )}
              </div>
            )}
          </div>
          <h2>Fees</h2>
          <table data-testid="fees">
            <thead>
              <tr>
                <th>Charge</th>
                <th>Type</th>
                <th>Charged</th>
                <th class="num">Amount</th>
                <th class="num">Outstanding</th>
                {acts && <th />}
              </tr>
            </thead>
            <tbody>
              {data.fees.charges.map((c) => (
                <tr key={c.feeId} data-fee={c.feeId}>
                  <td>{c.description || c.title}</td>
                  <td>{label(c.feeType)}</td>
                  <td>{when(c.chargedAt)}</td>
                  <td class="num">{money(c.amount)}</td>
                  <td class="num">{money(c.outstanding)}</td>
                  {acts && (
                    <td>
                      <ReasonAction
                        label="Waive"
                        ariaLabel={`Waive ${c.description}`}
                        submitLabel={`Waive ${money(c.outstanding)}`}
                        formClass="waive"
                        onSubmit={(reason) => act(`Waived: ${c.description}`, () => api("POST", `/api/fees/${enc(c.feeId)}/waive`, { reason }, { "idempotency-key": requestKey() }))}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {data.fees.charges.length === 0 && <p class="muted">No open charges.</p>}
          <h2>Loans</h2>
          <table>
            <tbody>
              {data.loans.loans.map((l) => (
                <tr key={l.loanId}>
                  <td>
                    <a href={`#/item/${enc(p.institution)}/${enc(l.item.barcode)}`}>{l.item.barcode}</a>
                  </td>
                  <td>{l.title}</td>
                  <td>due {when(l.dueAt)}</td>
                  <td>
                    {l.overdue && <span class="badge bad">overdue</span>}
                    {l.recalled && <span class="badge flag">recalled</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.loans.loans.length === 0 && <p class="muted">No loans.</p>}
          <h2>Holds</h2>
          <table>
            <tbody>
              {data.holds.holds.map((h) => (
                <tr key={h.holdId} data-hold={h.holdId}>
                  <td>{h.title}</td>
                  <td>{label(h.status)}</td>
                  <td>{h.queuePosition > 0 ? `#${h.queuePosition} in queue` : ""}</td>
                  <td>pick up at {h.pickupLocation}</td>
                  <td>{h.pickupBy ? `by ${when(h.pickupBy)}` : ""}</td>
                  {acts && (
                    <td>
                      <ReasonAction
                        label="Cancel hold"
                        ariaLabel={`Cancel the hold on ${h.title}`}
                        submitLabel="Cancel the hold"
                        formClass="cancel-hold"
                        onSubmit={(reason) => act(`Hold cancelled: ${h.title}`, () => api("POST", `/api/holds/${enc(h.holdId)}/cancel`, { reason }))}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {data.holds.holds.length === 0 && <p class="muted">No holds.</p>}
          {path && <History of={path} kind="patron" stamp={data} />}
        </>
      )}
    </section>
  );
}

/** A key per waiver asked for; getRandomValues, unlike randomUUID, exists on plain-HTTP pages too. */
function requestKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}
