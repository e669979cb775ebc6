import type { ChannelCredentials } from "@grpc/grpc-js";
import { applyPlan, type ImportSummary, type ServiceAddresses } from "./adapters/grpc.js";
import { type ImportInput, planImport } from "./plan.js";

export interface RunImportOptions {
  /** The services' gRPC addresses. */
  readonly addresses: ServiceAddresses;
  /** The moment of loading (relative dates count from it); default now. */
  readonly now?: Date;
  /** Zone for institutions not in the document. */
  readonly defaultTimeZone?: string;
  /** Validate only: nothing is sent, the summary is empty. */
  readonly dryRun?: boolean;
  /** How to reach the services: mutual TLS when they require it (GRPC_TLS_*); default plain text. */
  readonly credentials?: ChannelCredentials;
}

/**
 * Validates the whole input (throwing InvalidImportError before anything is
 * sent) and loads it through the services' admin APIs. Running it again with
 * the same input changes nothing and reports everything unchanged.
 */
export async function runImport(input: ImportInput, options: RunImportOptions): Promise<{ summary: ImportSummary | null; records: number }> {
  const plan = planImport(input, { now: options.now ?? new Date(), ...(options.defaultTimeZone ? { defaultTimeZone: options.defaultTimeZone } : {}) });
  const records =
    plan.institutions.patron.length +
    plan.patronTypes.length +
    plan.loanRules.length +
    plan.calendars.length +
    plan.patrons.length +
    plan.items.length +
    plan.loans.length +
    plan.holds.length +
    plan.charges.length;
  if (options.dryRun) return { summary: null, records };
  return { summary: await applyPlan(plan, options.addresses, options.credentials), records };
}
