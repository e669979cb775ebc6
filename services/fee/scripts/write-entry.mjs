// Migrations live beside src/ (services/fee/migrations), so tsc's output root is the
// package and the compiled entry point is dist/src/main.js. This writes dist/main.js,
// the one-line entry `pnpm start` and container images run.
import { writeFileSync } from "node:fs";

writeFileSync(new URL("../dist/main.js", import.meta.url), 'import "./src/main.js";\n');
