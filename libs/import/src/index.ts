/**
 * @circulate/import: loads a library's data (docs/import.md) through the
 * services' admin gRPC APIs. {@link runImport} is what the `circulate-import`
 * command runs (streaming its input, reporting progress and problems as it
 * goes); {@link planImport} is the pure validation of an input held in memory.
 */
export { applyPlan, BATCH, type Counts, ImportCallError, type ImportSummary, type ServiceAddresses } from "./adapters/grpc.js";
export { DEFAULT_PORTS, EXIT, runCli } from "./cli.js";
export { type CsvRow, CsvRecords, CsvRowReader, csvRecords, ITEM_COLUMNS, PATRON_COLUMNS, parseCsv } from "./csv.js";
export { addDays, localDateOf, parseDateValue, toInstant, zonedInstant } from "./dates.js";
export { type DocumentEntry, documentEntries } from "./json-stream.js";
export { DIRECTORY_FILES, loadImportInput } from "./load.js";
export { type ImportPlan, type PlanOptions, planImport, type ReferencePlan, SECTIONS } from "./plan.js";
export { formatCount, formatDuration, formatProgress, type ImportPhase, type ImportProgress, ProgressMeter } from "./progress.js";
export { InvalidImportError, MAX_KEPT_PROBLEMS, ProblemList } from "./problems.js";
export { type ImportResult, type RunImportOptions, runImport } from "./run.js";
export { type CsvInput, fileSource, type ImportInput, type ImportSource, InputFileError, memorySource } from "./source.js";
