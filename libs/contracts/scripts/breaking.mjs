#!/usr/bin/env node
// Wire-compatibility check (buf breaking, FILE rules) of proto/ against a
// git ref: by default the main branch of this repository. Use it on branches
// before merging; pass another buf input as the first argument to compare
// with something else (e.g. "../.git#tag=v1.2.0,subdir=proto").
import { buf } from "./buf.mjs";

const against = process.argv[2] ?? "../.git#branch=main,subdir=proto";
process.exit(buf(["breaking", "--against", against]));
