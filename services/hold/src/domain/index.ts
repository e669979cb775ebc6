export * from "./hold.codes.js";
export * from "./hold.streams.js";
export * from "./hold-queue.state.js";
export * from "./hold-request.js";
export * from "./instant.value.js";
export * from "./patron.checks.js";
export * from "./patron-holds.view.js";
