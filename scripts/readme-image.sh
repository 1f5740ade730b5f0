#!/usr/bin/env bash
# Renders the README's slide image from the shipped default data: the deck `ai-route report`
# makes, opened by LibreOffice (pptx -> PDF), its cost slide drawn by poppler (PDF -> PNG).
# Needs what the report tests need: libreoffice-impress-nogui and poppler-utils.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node bin/ai-route.cjs report --format pptx --out "$work/deck.pptx"
soffice --headless --convert-to pdf --outdir "$work" "$work/deck.pptx" > /dev/null
pdftoppm -png -r 80 -f 2 -l 2 -singlefile "$work/deck.pdf" docs/img/deck-cost-by-stage
echo "wrote docs/img/deck-cost-by-stage.png" >&2
