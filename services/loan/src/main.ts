import { isTimeZone } from "@circulate/domain";
import { ConfigError, readEnv } from "@circulate/runtime";
import { serviceConfigFromEnv, serviceMain } from "@circulate/service";
import { loanService } from "./service.js";

/**
 * Composition root: configuration from the environment (fails fast, naming
 * every problem), the service on the shared host (or `rebuild-projections`).
 */
const config = serviceConfigFromEnv("loan");
const env = readEnv();
const defaultTimeZone = env.string("LOAN_DEFAULT_TIME_ZONE", "UTC");
env.done();
if (!isTimeZone(defaultTimeZone)) throw new ConfigError([`LOAN_DEFAULT_TIME_ZONE: "${defaultTimeZone}" is not an IANA time zone`]);

await serviceMain(loanService({ defaultTimeZone }), config);
