import type { loan } from "@circulate/contracts";
import { InvalidArgumentError } from "@circulate/service";
import { loanOfRow, loansByPatron } from "../adapters/loans.repository.js";
import type { LoanDeps } from "../app/command.js";

/**
 * `Loans.ListLoans`, the patron service's usage facts: a patron's current
 * loans, oldest first, with the overdue count at `as_of` (default now).
 */
export async function listLoans(deps: Pick<LoanDeps, "db" | "now">, request: loan.ListLoansRequest): Promise<loan.ListLoansResponse> {
  if (!request.key) throw new InvalidArgumentError(["patron or patron_id is required"]);
  const asOf = request.asOf ?? deps.now();
  const loans = (await loansByPatron(deps.db, request.key)).map((row) => loanOfRow(row, asOf));
  return { loans, overdueCount: loans.filter((l) => l.overdue).length, recalledCount: 0 };
}
