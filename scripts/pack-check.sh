#!/usr/bin/env bash
# CI, after the tests: what `npm pack` makes installs in an empty folder without a warning and
# runs there (no source tree, no dev dependencies). Needs the npm registry for the dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the bundle is built already (npm run build); --ignore-scripts keeps pack from building twice
tarball=$(npm pack --ignore-scripts --silent --pack-destination "$work" 2>/dev/null | tail -1)
tar -tzf "$work/$tarball" | sed 's|^package/||' > "$work/files.txt"
if grep -E '\.map$|^src/|^test/' "$work/files.txt"; then echo "pack-check: the tarball carries sources, tests or source maps" >&2; exit 1; fi
grep -qx LICENSE "$work/files.txt" || { echo "pack-check: no LICENSE in the tarball" >&2; exit 1; }
cd "$work"
npm init -y > /dev/null 2>&1
npm install --no-audit --no-fund "./$tarball" > install.out 2> install.err
# this machine's own npm config may warn about itself (nodedir); anything else is the package's
if grep -i 'warn' install.err | grep -v 'nodedir'; then echo "pack-check: npm install printed warnings" >&2; exit 1; fi
./node_modules/.bin/ai-route cost > cost.txt
grep -q '\$50,000.00' cost.txt || { echo "pack-check: the installed ai-route cost printed no default table" >&2; cat cost.txt >&2; exit 1; }
./node_modules/.bin/ai-route --version
./node_modules/.bin/ai-route probe --mock --requests 3 --warmup 0 --format json > probe.json
# the deck needs pptxgenjs, required from the installed dependencies at run time
./node_modules/.bin/ai-route report --format pptx --out deck.pptx 2> /dev/null
[ -s deck.pptx ] || { echo "pack-check: the installed ai-route made no deck" >&2; exit 1; }
echo "pack-check: $tarball installs and runs ($(wc -l < files.txt) files)"
