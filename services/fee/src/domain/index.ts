export * from "./fee.codes.js";
export * from "./fee.refs.js";
export * from "./fee.streams.js";
export * from "./fee-account.state.js";
export * from "./fee-balance.view.js";
export * from "./money.format.js";
export * from "./time.js";
