import { useCallback, useEffect, useState } from "preact/hooks";
import { api, enc, explain, label, type Me, may, when } from "./api.js";
import { Lookup } from "./lookup.js";
import { History } from "./history.js";
import { ReasonAction } from "./reason.js";

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

export function Item({ me, institution, barcode }: { me: Me; institution: string | undefined; barcode: string | undefined }) {
  const [view, setView] = useState<ItemView>();
  const [problem, setProblem] = useState("");
  const [said, setSaid] = useState("");
  const path = institution && barcode ? `/api/items/${enc(institution)}/${enc(barcode)}` : undefined;
  const load = useCallback(async () => {
    if (!path) return;
    try {
      setView(await api<ItemView>("GET", path));
    } catch (err) {
      setView(undefined);
      setProblem(explain(err));
    }
  }, [path]);
  useEffect(() => {
    setView(undefined);
    setProblem("");
    setSaid("");
    void load();
  }, [load]);
  const mark = async (status: "missing" | "found", note: string) => {
    setProblem("");
    try {
      await api("POST", `${path}/${status}`, { note });
      await load();
      setSaid(status === "missing" ? "Marked missing" : "Recorded found");
    } catch (err) {
      setProblem(explain(err));
    }
  };
  const i = view?.item;
  const missing = i?.state === "ITEM_STATE_MISSING";
  return (
    <section>
      <h1>Item</h1>
      <Lookup page="item" institution={institution} barcode={barcode} label="Item" />
      {problem && <p class="problem" role="alert">{problem}</p>}
      {said && <p class="said" role="status">{said}</p>}
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
          {may(me, "circulation") && (
            <div class="actions">
              {missing ? (
                <ReasonAction label="Found" submitLabel="Record found" formClass="found" onSubmit={(note) => void mark("found", note)} />
              ) : (
                // An item on loan is refused missing by the item service: check it in first.
                !view.loan && <ReasonAction label="Missing" submitLabel="Mark missing" formClass="missing" onSubmit={(note) => void mark("missing", note)} />
              )}
            </div>
          )}
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
      {i && view && path && <History of={path} kind="item" stamp={view} />}
    </section>
  );
}
