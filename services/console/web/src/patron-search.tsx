import { useState } from "preact/hooks";
import { api, enc, explain } from "./api.js";

interface Found {
  institution: string;
  barcode: string;
  name: string;
  blocked: boolean;
  cardLost: boolean;
}

/** Patrons by the start of their name (the patron service's SearchPatrons); a result opens its patron page. */
export function PatronSearch({ institution }: { institution: string | undefined }) {
  const [found, setFound] = useState<{ patrons: Found[]; more: boolean }>();
  const [problem, setProblem] = useState("");
  const submit = async (e: Event) => {
    e.preventDefault();
    const d = new FormData(e.currentTarget as HTMLFormElement);
    const at = String(d.get("institution")).trim();
    const name = String(d.get("name")).trim();
    setProblem("");
    try {
      setFound(await api<{ patrons: Found[]; more: boolean }>("GET", `/api/patrons/${enc(at)}?name=${enc(name)}`));
    } catch (err) {
      setFound(undefined);
      setProblem(explain(err));
    }
  };
  return (
    <div class="search" data-testid="patron-search">
      <form class="lookup" onSubmit={submit}>
        <label>
          Institution <input name="institution" required defaultValue={institution ?? "MAIN"} size={8} />
        </label>
        <label>
          Name starts with <input name="name" required maxLength={100} size={20} />
        </label>
        <button type="submit">Search</button>
      </form>
      {problem && <p class="problem" role="alert">{problem}</p>}
      {found && (
        <ul data-testid="search-results">
          {found.patrons.map((p) => (
            <li key={`${p.institution}/${p.barcode}`}>
              <a href={`#/patron/${enc(p.institution)}/${enc(p.barcode)}`} onClick={() => setFound(undefined)}>
                {p.name} <span class="muted">{`${p.institution}/${p.barcode}`}</span>
              </a>
              {p.blocked && <span class="badge bad">blocked</span>}
              {p.cardLost && <span class="badge bad">card lost</span>}
            </li>
          ))}
          {found.patrons.length === 0 && <li class="muted">No patron's name starts so.</li>}
          {found.more && <li class="muted">More patrons match: type more of the name.</li>}
        </ul>
      )}
    </div>
  );
}
