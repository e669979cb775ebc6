import { useEffect, useRef, useState } from "preact/hooks";
import { api, enc, explain, when } from "./api.js";
import { commandWords, eventWords, reasonWords } from "./history-words.js";

/** One entry of GET …/history. */
export interface HistoryEntry {
  at: string | null;
  service: string;
  kind: "event" | "refusal";
  type: string;
  terminal: string;
  staff: string;
  location: string;
  institution: string;
  patron: { institution: string; barcode: string };
  item: { institution: string; barcode: string };
  title: string;
  dueAt: string | null;
  reason: string;
  screenMessage: string;
  id: string;
}
interface HistoryAnswer {
  entries: HistoryEntry[];
  more: boolean;
  unavailable: string[];
}

/** Events whose due date is the loan's new one; a check-in's is the one it had. */
const SAYS_DUE = new Set(["ItemCheckedOut", "LoanRenewed", "LoanImported", "LoanRecalled", "CheckinCancelled", "RenewalCancelled"]);

/** What happened, as staff say it: "Checked out at kiosk SC1 (MAIN), due …", "Checkout refused: patron blocked — kiosk was told '…'". */
export function describeEntry(e: HistoryEntry): string {
  if (e.kind === "refusal") {
    const told = e.screenMessage ? ` — kiosk was told '${e.screenMessage}'` : "";
    return `${commandWords(e.type)} refused: ${reasonWords(e.reason)}${told}`;
  }
  const where = e.terminal ? ` at kiosk ${e.terminal}${e.location ? ` (${e.location})` : ""}` : "";
  const by = e.staff ? ` by ${e.staff}` : "";
  const due = e.dueAt && SAYS_DUE.has(e.type) ? `, due ${when(e.dueAt)}` : "";
  const title = e.title ? ` — ${e.title}` : "";
  return `${eventWords(e.type)}${where}${by}${due}${title}`;
}

/**
 * The History section of a patron's or an item's page: the newest entries
 * from every service, and older ones a page at a time on request. `of` is
 * the page's API path; `stamp` changes when the page reloads after an action,
 * so the history follows (from its newest entries again).
 */
export function History({ of, kind, stamp }: { of: string; kind: "patron" | "item"; stamp?: unknown }) {
  const [answer, setAnswer] = useState<HistoryAnswer>();
  const [problem, setProblem] = useState("");
  const [loading, setLoading] = useState(false);
  // Which load the answers belong to: an older page that arrives after the page reloaded (another record, an action) is dropped.
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setLoading(false);
    api<HistoryAnswer>("GET", `${of}/history`).then(
      (a) => {
        if (generation.current !== mine) return;
        setAnswer(a);
        setProblem("");
      },
      (err: unknown) => generation.current === mine && setProblem(explain(err)),
    );
  }, [of, stamp]);
  // The next page is what is older than the last entry shown: the API never ends a page inside an instant.
  const older = async () => {
    const last = answer?.entries.at(-1);
    if (!last?.at) return;
    const mine = generation.current;
    setLoading(true);
    try {
      const next = await api<HistoryAnswer>("GET", `${of}/history?before=${encodeURIComponent(last.at)}`);
      if (generation.current !== mine) return;
      setAnswer((shown) => shown && { entries: [...shown.entries, ...next.entries], more: next.more, unavailable: next.unavailable });
      setProblem("");
    } catch (err) {
      if (generation.current === mine) setProblem(explain(err));
    } finally {
      if (generation.current === mine) setLoading(false);
    }
  };
  // The other side of each entry links to its page: items on a patron's history, patrons on an item's.
  const other = (e: HistoryEntry) => {
    const [page, ref] = kind === "patron" ? (["item", e.item] as const) : (["patron", e.patron] as const);
    return ref.barcode ? <a href={`#/${page}/${enc(ref.institution || e.institution)}/${enc(ref.barcode)}`}>{ref.barcode}</a> : "";
  };
  return (
    <div class="card" data-testid="history">
      <h3>History</h3>
      {problem && <p class="problem" role="alert">{problem}</p>}
      {answer && answer.unavailable.length > 0 && <p class="muted">Not answering now, so missing here: {answer.unavailable.join(", ")}.</p>}
      {answer && (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>What happened</th>
              <th>{kind === "patron" ? "Item" : "Patron"}</th>
              <th>Terminal</th>
            </tr>
          </thead>
          <tbody>
            {answer.entries.map((e) => (
              <tr key={e.id} data-kind={e.kind} data-type={e.type} class={e.kind === "refusal" ? "refused" : undefined}>
                <td>{when(e.at)}</td>
                <td>{describeEntry(e)}</td>
                <td>{other(e)}</td>
                <td>{e.terminal || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {answer && answer.entries.length === 0 && <p class="muted">Nothing recorded.</p>}
      {answer?.more && (
        <button type="button" onClick={older} disabled={loading}>
          {loading ? "Loading…" : "Show older"}
        </button>
      )}
    </div>
  );
}
