#!/usr/bin/env node
// sip2-gateway-hash-password. Runs the built entry point (pnpm --filter @circulate/sip2-gateway build);
// from the sources: pnpm --filter @circulate/sip2-gateway hash-password.
import "../dist/hash-password.js";
