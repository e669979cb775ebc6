import { useState } from "preact/hooks";
import { api, explain } from "./api.js";

export interface Terminal {
  login: string;
  source: "console" | "file";
  revision: number | null;
  account: {
    hasPassword: boolean;
    institutionId?: string;
    location?: string;
    allowedNetworks?: string[];
    permissions?: string[];
    charset?: string;
    active?: boolean;
  } | null;
  /** The gateway replicas whose accounts file has it (source "file"). */
  gateways: string[];
  note: string | null;
  problems: string[];
  status: "connected" | "silent" | "out-of-paper" | "shutting-down" | "disconnected";
  lastSeenAt: string | null;
  connections: { address: string | null; tls: string | null; lastRequestAt: string | null }[];
  requestsPerMinute: number;
  refusalRate: number | null;
  errorRate: number | null;
  p95Ms: number | null;
}

const PERMISSIONS = ["checkout", "checkin", "renew", "statusUpdate", "feePaid", "holds", "offline", "patron", "item", "block"];
const list = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter((x) => x !== "");

/**
 * Adds a terminal account, or changes one read at its revision (the API refuses with 409 when
 * someone changed it since). The password is sent once and never shown; empty keeps the old one.
 */
export function TerminalForm({ terminal, onDone }: { terminal: Terminal | undefined; onDone: () => void }) {
  const [problem, setProblem] = useState("");
  const a = terminal?.account;
  const submit = async (e: Event) => {
    e.preventDefault();
    const d = new FormData(e.currentTarget as HTMLFormElement);
    const password = String(d.get("password") ?? "");
    const settings = {
      institutionId: String(d.get("institutionId")),
      ...(d.get("location") ? { location: String(d.get("location")) } : {}),
      allowedNetworks: list(String(d.get("allowedNetworks") ?? "")),
      permissions: d.getAll("permissions").map(String),
      charset: String(d.get("charset")),
      active: d.get("active") === "on",
      ...(password ? { password } : {}),
    };
    if (settings.allowedNetworks.length === 0) delete (settings as { allowedNetworks?: string[] }).allowedNetworks;
    try {
      if (terminal) await api("PATCH", `/api/terminals/${encodeURIComponent(terminal.login)}`, { revision: terminal.revision, ...settings });
      else await api("POST", "/api/terminals", { login: String(d.get("login")), ...settings });
      onDone();
    } catch (err) {
      setProblem(explain(err));
    }
  };
  const switchOff = async () => {
    if (!terminal) return;
    try {
      await api("PATCH", `/api/terminals/${encodeURIComponent(terminal.login)}`, { revision: terminal.revision, active: !(a?.active ?? true) });
      onDone();
    } catch (err) {
      setProblem(explain(err));
    }
  };
  return (
    <form class="card terminal-form" onSubmit={submit} data-testid="terminal-form">
      <h2>{terminal ? `Terminal ${terminal.login}` : "New terminal"}</h2>
      {!terminal && (
        <label>
          Login <input name="login" required pattern="[-_=A-Za-z0-9]+(\.[-_=A-Za-z0-9]+)*" />
        </label>
      )}
      <label>
        Password{" "}
        <input
          name="password"
          type="password"
          autocomplete="new-password"
          minLength={8}
          required={!terminal}
          placeholder={terminal ? "unchanged" : ""}
        />
      </label>
      <label>
        Institution <input name="institutionId" required defaultValue={a?.institutionId ?? "MAIN"} />
      </label>
      <label>
        Location <input name="location" defaultValue={a?.location ?? ""} />
      </label>
      <label>
        Allowed networks <input name="allowedNetworks" placeholder="anywhere" defaultValue={(a?.allowedNetworks ?? []).join(", ")} />
      </label>
      <label>
        Charset{" "}
        <select name="charset">
          {["ibm850", "utf8", "latin1"].map((c) => (
            <option key={c} selected={(a?.charset ?? "ibm850") === c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Permissions</legend>
        {PERMISSIONS.map((p) => (
          <label key={p} class="inline">
            <input type="checkbox" name="permissions" value={p} defaultChecked={(a?.permissions ?? ["checkout", "checkin", "patron", "item"]).includes(p)} /> {p}
          </label>
        ))}
      </fieldset>
      <label class="inline">
        <input type="checkbox" name="active" defaultChecked={a?.active ?? true} /> Active
      </label>
      <div class="actions">
        <button type="submit">{terminal ? "Save" : "Add"}</button>
        {terminal && (
          <button type="button" class="danger" onClick={switchOff}>
            {(a?.active ?? true) ? "Disable" : "Enable"}
          </button>
        )}
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {problem && <p class="problem" role="alert">{problem}</p>}
    </form>
  );
}
