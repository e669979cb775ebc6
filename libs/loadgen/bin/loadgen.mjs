#!/usr/bin/env node
// The circulate-loadgen command. Runs the built entry point (pnpm --filter @circulate/loadgen... build).
import "../dist/main.js";
