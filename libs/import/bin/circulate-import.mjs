#!/usr/bin/env node
// The circulate-import command. Runs the built entry point (pnpm --filter @circulate/import build).
import "../dist/main.js";
