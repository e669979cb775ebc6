import { useState } from "preact/hooks";
import { explain, type Me, signIn } from "./api.js";

export function Login({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setBusy(true);
    try {
      const me = await signIn(String(data.get("name")), String(data.get("password")));
      form.reset();
      onSignedIn(me);
    } catch (err) {
      setProblem(explain(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="login card" onSubmit={submit}>
      <h1>Staff sign-in</h1>
      <label>
        Name <input name="name" autocomplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autocomplete="current-password" required />
      </label>
      <button type="submit" disabled={busy}>
        Sign in
      </button>
      {problem && <p class="problem" role="alert">{problem}</p>}
    </form>
  );
}
