export { type Accepted, accept, type Decision, fold, type Refused, refuse } from "./decision.js";
