#!/bin/sh
# Writes one process, ready to run, to OUT: its compiled dist/, its package.json and a
# node_modules holding its production dependencies only (workspace libraries included,
# as copies). Run from the repository root after `pnpm install --frozen-lockfile`.
#   sh infra/docker/deploy.sh @circulate/loan /out
# The image recipe (Dockerfile) runs this; test/images.spec.ts runs it too.
set -eu
package="${1:?usage: deploy.sh <package, e.g. @circulate/loan> <output directory>}"
out="${2:?usage: deploy.sh <package> <output directory>}"

# The package and every workspace library it imports, compiled by their own build scripts.
pnpm exec turbo run build --filter="${package}..." --output-logs=errors-only

# pnpm deploy copies workspace libraries into the output instead of linking them, which it
# does only with inject-workspace-packages; set here alone, development keeps its links.
# The versions are the lockfile's: no registry is asked.
pnpm --filter "$package" --config.inject-workspace-packages=true deploy --prod --offline "$out"

# What only development uses: sources (dist/ is what runs), tests, build settings, and the
# lockfile written with this machine's paths in it. web/ is the staff console's page sources:
# its build (dist/web) is what the console serves.
cd "$out"
rm -rf src test bench examples scripts web .turbo tsconfig*.json vitest.config.ts pnpm-lock.yaml
# Migrations run compiled, from dist/migrations.
if [ -d dist/migrations ]; then rm -rf migrations; fi
find node_modules/.pnpm -path '*/node_modules/@circulate/*' -prune -type d | while read -r lib; do
  rm -rf "$lib/src" "$lib/test" "$lib/bench" "$lib/examples" "$lib/scripts" "$lib/.turbo" "$lib"/tsconfig*.json "$lib/vitest.config.ts"
done
