import { useEffect, useState } from "preact/hooks";
import { type Me, may, when } from "./api.js";
import { type Terminal, TerminalForm } from "./terminal-form.js";

interface FleetView {
  at: string;
  silentAfterSeconds: number;
  terminals: Terminal[];
}

const BADGE: Record<Terminal["status"], string> = {
  connected: "connected",
  silent: "silent",
  "out-of-paper": "out of paper",
  "shutting-down": "shutting down",
  disconnected: "disconnected",
};

const percent = (r: number | null) => (r === null ? "—" : `${Math.round(r * 100)} %`);

/** The live fleet: one `fleet` event of the stream at a time; the browser reconnects a dropped stream by itself. */
function useFleet(): { fleet: FleetView | undefined; live: boolean } {
  const [fleet, setFleet] = useState<FleetView>();
  const [live, setLive] = useState(false);
  useEffect(() => {
    const source = new EventSource("/api/terminals/stream");
    source.addEventListener("fleet", (e) => {
      setFleet(JSON.parse((e as MessageEvent<string>).data) as FleetView);
      setLive(true);
    });
    source.addEventListener("signed-out", () => {
      source.close();
      location.reload();
    });
    let retry: number | undefined;
    source.onerror = () => {
      setLive(false);
      // The browser retries a dropped connection by itself, but not an error answer (a session
      // that ended, the console restarting): load the page again, which signs in again if needed.
      if (source.readyState === EventSource.CLOSED) retry = window.setTimeout(() => location.reload(), 3_000);
    };
    return () => {
      window.clearTimeout(retry);
      source.close();
    };
  }, []);
  return { fleet, live };
}

export function Fleet({ me }: { me: Me }) {
  const { fleet, live } = useFleet();
  const [editing, setEditing] = useState<Terminal | "new" | undefined>();
  const admin = may(me, "administrator");
  return (
    <section>
      <h1>
        Fleet <span class={`live ${live ? "on" : "off"}`}>{live ? "live" : "reconnecting…"}</span>
      </h1>
      <p class="muted">
        Silent: connected with no request for {fleet?.silentAfterSeconds ?? "…"} s. Accounts of the gateways' accounts files are shown with the gateways whose
        file has them, and are changed in that file.
      </p>
      {admin && !editing && (
        <button type="button" onClick={() => setEditing("new")}>
          Add terminal
        </button>
      )}
      {admin && editing && <TerminalForm terminal={editing === "new" ? undefined : editing} onDone={() => setEditing(undefined)} />}
      <table class="fleet">
        <thead>
          <tr>
            <th>Login</th>
            <th>State</th>
            <th>Account</th>
            <th>Address</th>
            <th>TLS</th>
            <th>Req/min</th>
            <th>Refused</th>
            <th>Errors</th>
            <th>p95</th>
            <th>Last seen</th>
            {admin && <th />}
          </tr>
        </thead>
        <tbody>
          {fleet?.terminals.map((t) => {
            const c = t.connections[0];
            return (
              <tr key={t.login} data-login={t.login} data-status={t.status}>
                <td>{t.login}</td>
                <td>
                  <span class={`badge ${t.status}`}>{BADGE[t.status]}</span>
                  {t.connections.length > 1 && <span class="badge">{t.connections.length} connections</span>}
                  {t.account?.active === false && <span class="badge off">switched off</span>}
                  {t.problems.length > 0 && (
                    <span class="badge bad" title={t.problems.join("\n")}>
                      not applied
                    </span>
                  )}
                  {t.note && (
                    <span class="badge" title={t.note}>
                      see note
                    </span>
                  )}
                </td>
                <td>
                  {t.account && (
                    <>
                      {t.account.institutionId ?? "?"}
                      {t.account.location ? ` / ${t.account.location}` : ""}{" "}
                    </>
                  )}
                  {t.source === "file" && <span class="muted">accounts file{t.gateways.length > 0 ? ` (${t.gateways.join(", ")})` : ""}</span>}
                </td>
                <td>{c?.address ?? "—"}</td>
                <td>{c ? (c.tls ?? "no") : "—"}</td>
                <td class="num">{t.requestsPerMinute}</td>
                <td class="num">{percent(t.refusalRate)}</td>
                <td class="num">{percent(t.errorRate)}</td>
                <td class="num">{t.p95Ms === null ? "—" : `${Math.round(t.p95Ms)} ms`}</td>
                <td>{c || t.lastSeenAt ? when(c?.lastRequestAt ?? t.lastSeenAt) : "never seen"}</td>
                {admin && (
                  <td>
                    {t.source === "console" && (
                      <button type="button" onClick={() => setEditing(t)}>
                        Edit
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {fleet && fleet.terminals.length === 0 && <p class="muted">No terminal accounts in the console and no terminal connected.</p>}
    </section>
  );
}
