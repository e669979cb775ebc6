import { useState } from "preact/hooks";

/**
 * A button that asks for a reason before acting: waivers, blocks, holds
 * cancelled and items missing or found all record why in the service's event.
 */
export function ReasonAction({
  label,
  submitLabel,
  formClass,
  ariaLabel,
  optional = false,
  onSubmit,
}: {
  label: string;
  submitLabel: string;
  formClass: string;
  ariaLabel?: string;
  optional?: boolean;
  onSubmit: (reason: string) => void;
}) {
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)} aria-label={ariaLabel ?? label}>
        {label}
      </button>
    );
  const submit = (e: Event) => {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget as HTMLFormElement).get("reason")).trim();
    if (reason || optional) onSubmit(reason);
  };
  return (
    <form class={`reason ${formClass}`} onSubmit={submit}>
      <input name="reason" placeholder={optional ? "reason (optional)" : "reason"} required={!optional} maxLength={500} aria-label="Reason" />
      <button type="submit">{submitLabel}</button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}
