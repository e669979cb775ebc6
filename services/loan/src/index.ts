export { type LoanServiceOptions, loanService } from "./service.js";
