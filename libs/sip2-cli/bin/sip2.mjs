#!/usr/bin/env node
// The sip2 command. Runs the built entry point (pnpm --filter @circulate/sip2-cli build).
import "../dist/main.js";
