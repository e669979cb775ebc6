import type { ApiClient } from "./client.js";
import type { ConsoleStack } from "./stack.js";

/** What the spec's test groups share: one stack for the file, and every body any client received. */
export interface Suite {
  stack(): ConsoleStack;
  client(): ApiClient;
  readonly bodies: string[];
}
