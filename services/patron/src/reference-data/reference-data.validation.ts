import { currencyDigits } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";

export function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function validCurrency(code: string): boolean {
  try {
    currencyDigits(code);
    return /^[A-Z]{3}$/.test(code);
  } catch {
    return false;
  }
}

/** Every problem found (the first 20) as one INVALID_ARGUMENT, before anything is written. */
export function failOn(problems: readonly string[]): void {
  if (problems.length > 0) throw new InvalidArgumentError(problems.slice(0, 20));
}
