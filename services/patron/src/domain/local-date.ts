/**
 * Expiry and birth dates are local dates (`YYYY-MM-DD`, see `@circulate/domain`)
 * on purpose: a card that "expires on 31 March" is valid for the whole of 31 March
 * in the library's own zone, and storing it as an instant would move that day for
 * anyone reading it in UTC. The ISO form also sorts correctly as a plain string,
 * which the expiry rule relies on.
 */
import { addDays, type LocalDate, localDateOf, startOfLocalDay } from "@circulate/domain";

export {
  isLocalDate,
  type LocalDate,
  localDateOf as localDateAt,
  startOfLocalDay as startOfLocalDate,
} from "@circulate/domain";

/** The day after a local date. */
export function nextLocalDate(date: LocalDate): LocalDate {
  return addDays(date, 1);
}

/**
 * The instant a card with this expiry date stops working: the start of the
 * next day in the home zone (the card is valid for the whole expiry day).
 */
export function expiryInstant(expiryDate: LocalDate, timeZone: string): Date {
  return startOfLocalDay(nextLocalDate(expiryDate), timeZone);
}

/**
 * The expiry date of a card that stops working at `end`: the local day of the
 * last millisecond it still works. An `end` that is not at a local midnight
 * is rounded up to the end of its day (the card works that whole day).
 */
export function expiryDateOf(end: Date, timeZone: string): LocalDate {
  return localDateOf(new Date(end.getTime() - 1), timeZone);
}
