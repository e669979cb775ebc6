#!/usr/bin/env node
// The circulate-admin command. Runs the built entry point (pnpm --filter @circulate/admin build).
import "../dist/main.js";
