import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { currentSession, type Me, may, signOut, whenSignedOut } from "./api.js";
import { Fleet } from "./fleet.js";
import { Import } from "./import.js";
import { Item } from "./item.js";
import { Login } from "./login.js";
import { Patron } from "./patron.js";
import "./style.css";

/** Pages by the URL's fragment (`#/fleet`, `#/patron/MAIN/P0001`, `#/item/MAIN/I0001`): the server serves one file. */
function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, "").split("/").filter((p) => p !== "").map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => setRoute(read());
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}

function App() {
  const [me, setMe] = useState<Me | undefined | null>(null);
  const [page, ...args] = useRoute();
  useEffect(() => {
    whenSignedOut(() => setMe(undefined));
    currentSession().then(setMe, () => setMe(undefined));
  }, []);
  if (me === null) return <p class="muted">Loading…</p>;
  if (!me) return <Login onSignedIn={setMe} />;
  const tab = page ?? "fleet";
  const link = (to: string, label: string) => (
    <a href={`#/${to}`} class={tab === to ? "current" : ""}>
      {label}
    </a>
  );
  return (
    <>
      <header>
        <strong>Circulate</strong>
        <nav>
          {link("fleet", "Fleet")}
          {link("patron", "Patron")}
          {link("item", "Item")}
          {may(me, "administrator") && link("import", "Import")}
        </nav>
        <span class="who" data-testid="who">
          {me.name} · {me.role}
        </span>
        <button type="button" onClick={() => signOut().then(() => setMe(undefined))}>
          Sign out
        </button>
      </header>
      <main>
        {tab === "patron" ? (
          <Patron me={me} institution={args[0]} barcode={args[1]} />
        ) : tab === "item" ? (
          <Item me={me} institution={args[0]} barcode={args[1]} />
        ) : tab === "import" && may(me, "administrator") ? (
          <Import me={me} id={args[0]} />
        ) : (
          <Fleet me={me} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
