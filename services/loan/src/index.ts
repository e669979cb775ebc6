export { type LoanServiceOptions, loanService } from "./service.js";
export { DEFAULT_LOAN_SETTINGS, type LoanSettings, loanSettings } from "./settings.js";
