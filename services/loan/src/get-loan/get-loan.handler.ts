import type { loan } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { loanOfItem, loanOfRow } from "../adapters/loans.repository.js";
import type { LoanDeps } from "../app/command.js";

/** `Loans.GetLoan`, the item service's due dates: an item's current loan, by reference or internal id. */
export async function getLoan(deps: Pick<LoanDeps, "db" | "now">, request: loan.GetLoanRequest): Promise<loan.GetLoanResponse> {
  if (!request.key) throw new InvalidArgumentError(["item or item_id is required"]);
  const row = await loanOfItem(deps.db, request.key);
  return { loan: row ? loanOfRow(row, deps.now()) : undefined };
}
