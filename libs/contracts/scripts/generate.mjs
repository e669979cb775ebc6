#!/usr/bin/env node
// Regenerates src/gen from proto/ (buf.gen.yaml writes to "<base>/gen" and
// cleans it first, so deleted protos leave no stale files).
import path from "node:path";
import { buf, packageDir } from "./buf.mjs";

const base = process.argv[2] ? path.resolve(process.argv[2]) : path.join(packageDir, "src");
process.exit(buf(["generate", "--template", "buf.gen.yaml", "--output", base]));
