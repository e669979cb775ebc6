/** The institution + barcode form of the patron and item pages: it sets the URL, the page reads it. */
export function Lookup({ page, institution, barcode, label }: { page: string; institution: string | undefined; barcode: string | undefined; label: string }) {
  const submit = (e: Event) => {
    e.preventDefault();
    const d = new FormData(e.currentTarget as HTMLFormElement);
    location.hash = `#/${page}/${encodeURIComponent(String(d.get("institution")).trim())}/${encodeURIComponent(String(d.get("barcode")).trim())}`;
  };
  return (
    <form class="lookup" onSubmit={submit} key={`${institution}/${barcode}`}>
      <label>
        Institution <input name="institution" required defaultValue={institution ?? "MAIN"} size={8} />
      </label>
      <label>
        {label} barcode <input name="barcode" required defaultValue={barcode ?? ""} size={14} />
      </label>
      <button type="submit">Find</button>
    </form>
  );
}
