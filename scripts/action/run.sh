#!/usr/bin/env bash
# The action's main step: `cost diff` (mode cost), `probe` / `probe merge` (mode probe) or the
# command in ARGS (mode run), its JSON kept in $RUNNER_TEMP/ai-route, its exit code an output. It exits 0 itself so that the
# comment is posted before the Gate step fails the job with ai-route's own code.
# Inputs come as environment variables (action.yml maps them): MODE, BASE, PR_BASE_SHA,
# HEAD_SPEC, PRICING, FAIL_ON_INCREASE, BUDGET, ARGS, MERGE.
set -uo pipefail
cli() { node "$GITHUB_ACTION_PATH/bin/ai-route.cjs" "$@"; }
out="${RUNNER_TEMP:?RUNNER_TEMP is not set}/ai-route"
mkdir -p "$out"
read -r -a extra <<< "${ARGS:-}"
output() { echo "$1=$2" >> "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"; }

run_cost() {
  local base="${BASE:-${PR_BASE_SHA:-}}"
  if [ -z "$base" ]; then
    echo "::error title=ai-route action::mode cost needs the input base (or a pull_request event)"
    return 2
  fi
  local flags=(--base "$base")
  [ -n "${HEAD_SPEC:-}" ] && flags+=(--head "$HEAD_SPEC")
  local p
  for p in ${PRICING:-}; do flags+=(--pricing "$p"); done
  [ -n "${FAIL_ON_INCREASE:-}" ] && flags+=(--fail-on-increase "$FAIL_ON_INCREASE")
  [ -n "${BUDGET:-}" ] && flags+=(--budget "$BUDGET")
  cli cost diff "${flags[@]}" "${extra[@]}" --format json --out "$out/cost-diff.json"
  local code=$?
  [ -f "$out/cost-diff.json" ] || return "$code"
  # the comment's markdown: the same diff, without a second job summary or annotation
  GITHUB_STEP_SUMMARY= GITHUB_ACTIONS= cli cost diff "${flags[@]}" "${extra[@]}" \
    --format markdown --out "$out/cost-diff.md" 2> /dev/null
  output result "$out/cost-diff.json"
  output markdown "$out/cost-diff.md"
  output delta "$(node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const t = d.totals.filter((x) => x.head_cost !== null);
    console.log(t.length === 0 ? "0" : t[t.length - 1].delta);' "$out/cost-diff.json")"
  return "$code"
}

run_probe() {
  local code
  if [ -n "${MERGE:-}" ]; then
    # the glob is the input's: expanded here, each run a file
    # shellcheck disable=SC2086
    cli probe merge $MERGE "${extra[@]}" --format json --out "$out/probe.json"
  else
    cli probe "${extra[@]}" --format json --out "$out/probe.json"
  fi
  code=$?
  [ -f "$out/probe.json" ] && output result "$out/probe.json"
  return "$code"
}

code=0
case "${MODE:-}" in
  cost) run_cost || code=$? ;;
  probe) run_probe || code=$? ;;
  run) cli "${extra[@]}" || code=$? ;;
  *)
    echo "::error title=ai-route action::mode must be cost, probe or run, not '${MODE:-}'"
    code=2
    ;;
esac
output exit-code "$code"
exit 0
