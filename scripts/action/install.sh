#!/usr/bin/env bash
# The action's first step: ai-route built from the action's own checkout, once (a job that uses
# the action twice, or a checkout already built, skips it). npm ci installs from the committed
# package-lock.json; the build is the one the README's quick start runs.
set -euo pipefail
root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
if [ -f "$root/dist/cli/ai-route.cjs" ]; then
  echo "ai-route is built: $(node "$root/bin/ai-route.cjs" --version)"
  exit 0
fi
npm ci --prefix "$root" --no-audit --no-fund
npm run build --prefix "$root" --silent
echo "ai-route built: $(node "$root/bin/ai-route.cjs" --version)"
