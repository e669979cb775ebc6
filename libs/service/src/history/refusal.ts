import { commands, type common, refusalMessage } from "@circulate/contracts";

/** One refused command as `transaction_refusals` keeps it (recorded_at is the database's clock). */
export interface RefusalRecord {
  command_id: string;
  command_type: string;
  terminal_account: string;
  location: string;
  patron_institution: string | null;
  patron_barcode: string | null;
  patron_id: string | null;
  item_institution: string | null;
  item_barcode: string | null;
  title: string | null;
  reason: string;
  screen_message: string;
  due_at: Date | null;
}

/** Every command message names its patron `patron` and its item `item`, when it names them. */
type Named = { patron?: common.PatronRef | undefined; item?: common.ItemRef | undefined };

const orNull = (s: string | undefined): string | null => (s === undefined || s === "" ? null : s);

/**
 * The refusal to keep for a command whose outcome is being recorded, or
 * undefined when the outcome is not a refusal (or not an outcome at all).
 * Pure: what the kiosk was told comes from the screen message catalog, never
 * from the refusal's log detail, and nothing of the command but its refs is
 * read, so a PIN cannot end up in the row.
 */
export function refusalRecord(envelope: commands.CommandEnvelope, storedOutcome: unknown): RefusalRecord | undefined {
  if (typeof storedOutcome !== "object" || storedOutcome === null || !("refused" in storedOutcome)) return undefined;
  const outcome = commands.Outcome.fromJSON(storedOutcome);
  if (outcome.result?.$case !== "refused" || envelope.command === undefined) return undefined;
  const refused = outcome.result.value;
  const named = envelope.command.value as Named;
  // A check-in names no patron; the refusal's standing may still say whose loan it was.
  const patron = named.patron ?? refused.patron?.patron;
  const item = named.item ?? refused.item?.item;
  return {
    command_id: envelope.commandId,
    command_type: envelope.command.$case,
    terminal_account: envelope.terminal?.account ?? "",
    location: envelope.terminal?.location ?? "",
    patron_institution: orNull(patron?.institutionId),
    patron_barcode: orNull(patron?.barcode),
    patron_id: orNull(refused.patron?.patronId),
    item_institution: orNull(item?.institutionId),
    item_barcode: orNull(item?.barcode),
    title: orNull(refused.item?.title),
    reason: refused.reason,
    screen_message: refusalMessage(refused.reason),
    due_at: refused.dueAt ?? null,
  };
}
