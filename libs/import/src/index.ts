/**
 * @circulate/import: loads a library's data (docs/import.md) through the
 * services' admin gRPC APIs. {@link runImport} is what the `circulate-import`
 * command runs; {@link planImport} is the pure validation and conversion.
 */
export { applyPlan, type Counts, ImportCallError, type ImportSummary, type ServiceAddresses } from "./adapters/grpc.js";
export { DEFAULT_PORTS, EXIT, runCli } from "./cli.js";
export { csvRecords, ITEM_COLUMNS, PATRON_COLUMNS, parseCsv } from "./csv.js";
export { addDays, localDateOf, parseDateValue, toInstant, zonedInstant } from "./dates.js";
export { DIRECTORY_FILES, InputFileError, loadImportInput } from "./load.js";
export { type CsvInput, type ImportInput, type ImportPlan, InvalidImportError, type PlanOptions, planImport, SECTIONS } from "./plan.js";
export { type RunImportOptions, runImport } from "./run.js";
