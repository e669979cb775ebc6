export * from "./assess-overdue-fine/assess-overdue-fine.decider.js";
export * from "./assess-overdue-fine/closed-days.policy.js";
export * from "./assess-overdue-fine/overdue-fine.policy.js";
export * from "./charge-fee/charge-fee.decider.js";
export * from "./domain/index.js";
export * from "./pay-fee/pay-fee.decider.js";
export { type FeeServiceOptions, feeService } from "./service.js";
export { DEFAULT_FEE_SETTINGS, type FeeSettings, feeSettings } from "./settings.js";
export * from "./waive-fee/waive-fee.decider.js";
