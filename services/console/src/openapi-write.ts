import { writeFileSync } from "node:fs";
import { generateOpenApi, OPENAPI_FILE } from "./openapi.js";

writeFileSync(OPENAPI_FILE, await generateOpenApi());
process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
