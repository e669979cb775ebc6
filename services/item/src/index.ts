export * from "./domain/index.js";
export { itemService } from "./service.js";
