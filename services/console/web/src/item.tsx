import { useEffect, useState } from "preact/hooks";
import { api, enc, explain, label, when } from "./api.js";
import { Lookup } from "./lookup.js";

interface Ref {
  institution: string;
  barcode: string;
}
interface HoldRow {
  holdId: string;
  patron: Ref;
  status: string;
  queuePosition: number;
  pickupLocation: string;
}
interface ItemView {
  item: {
    barcode: string;
    institution: string;
    title: string;
    itemType: string;
    mediaType: string;
    state: string;
    circulating: boolean;
    permanentLocation: string;
    currentLocation: string;
    inTransitTo: string;
    callNumber: string;
  };
  loan: { patron: Ref; dueAt: string | null; overdue: boolean; checkedOutAt: string | null } | null;
  holds: { queueLength: number; trappedFor: HoldRow | null; queue: HoldRow[] };
}

const patronLink = (r: Ref) => <a href={`#/patron/${enc(r.institution)}/${enc(r.barcode)}`}>{`${r.institution}/${r.barcode}`}</a>;

export function Item({ institution, barcode }: { institution: string | undefined; barcode: string | undefined }) {
  const [view, setView] = useState<ItemView>();
  const [problem, setProblem] = useState("");
  useEffect(() => {
    setView(undefined);
    setProblem("");
    if (!institution || !barcode) return;
    api<ItemView>("GET", `/api/items/${enc(institution)}/${enc(barcode)}`).then(setView, (err) => setProblem(explain(err)));
  }, [institution, barcode]);
  const i = view?.item;
  return (
    <section>
      <h1>Item</h1>
      <Lookup page="item" institution={institution} barcode={barcode} label="Item" />
      {problem && <p class="problem" role="alert">{problem}</p>}
      {i && view && (
        <div class="card" data-testid="item">
          <h2>
            {i.title} <span class="muted">{`${i.institution}/${i.barcode}`}</span>
          </h2>
          <p>
            <span class="badge">{label(i.state)}</span>
            {view.loan && <span class={`badge ${view.loan.overdue ? "bad" : "flag"}`}>{view.loan.overdue ? "on loan, overdue" : "on loan"}</span>}
            {view.holds.trappedFor && <span class="badge flag">on the hold shelf</span>}
            {!i.circulating && <span class="badge off">not for loan</span>}
          </p>
          <dl>
            <dt>Type</dt>
            <dd>
              {i.itemType} · {label(i.mediaType)}
            </dd>
            <dt>Call number</dt>
            <dd>{i.callNumber || "—"}</dd>
            <dt>Location</dt>
            <dd>
              {i.currentLocation || i.permanentLocation}
              {i.currentLocation && i.currentLocation !== i.permanentLocation ? ` (home ${i.permanentLocation})` : ""}
              {i.inTransitTo ? `, in transit to ${i.inTransitTo}` : ""}
            </dd>
            <dt>Loan</dt>
            <dd>{view.loan ? <>to {patronLink(view.loan.patron)}, due {when(view.loan.dueAt)}</> : "—"}</dd>
            <dt>Hold shelf</dt>
            <dd>{view.holds.trappedFor ? <>for {patronLink(view.holds.trappedFor.patron)}</> : "—"}</dd>
          </dl>
          <h3>Hold queue ({view.holds.queueLength})</h3>
          <ol>
            {view.holds.queue.map((h) => (
              <li key={h.holdId}>
                {patronLink(h.patron)} · {label(h.status)} · pick up at {h.pickupLocation}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
