/**
 * @circulate/loadgen: simulated SIP2 kiosks for load tests ({@link runLoad}), the
 * report ({@link buildReport}, {@link formatReport}) and generated libraries for
 * `circulate-import` ({@link generateLibrary}).
 */
export { Budget } from "./budget.js";
export { DEFAULTS, EXIT, isLoopback, parseDuration, runCli, USAGE } from "./cli.js";
export { type Exchange, SipConnection } from "./connection.js";
export { Kiosk, type KioskConfig } from "./kiosk.js";
export { generateLibrary, itemBarcode, KioskShare, LIBRARY_INSTITUTION, LIBRARY_PIN, type LibraryDocument, type LibraryOptions, libraryJson, patronBarcode } from "./library.js";
export { CIRCULATE_PROCESSES, type CirculateProcess, type CpuMeasurement, type CpuReport, circulateProcessName, cpuReport, formatCpu, type ProcessCpu, type ProcReading, type ProcSample, type ProcStat, parseCmdline, parseProcStat, readCirculateProcesses } from "./proc-cpu.js";
export { buildReport, ERROR_KINDS, type ErrorKind, formatReport, type LatencySummary, type LoadReport, type Outcome, percentile, Recorder, summarize, type TypeReport } from "./report.js";
export { type LoadOptions, runLoad } from "./run.js";
