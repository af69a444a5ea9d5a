#!/usr/bin/env bash
# The command line of the GitHub composite action (action.yml): inputs arrive as OPENCOMMS_* variables.
# Prints GitHub annotations (workflow commands); exits with opencomms' exit code (0 clean, 1 findings, 2 error).
set -uo pipefail

args=()
read -r -a paths <<< "${OPENCOMMS_PATHS:-.}"
[ "${#paths[@]}" -eq 0 ] && paths=(.)
args+=("${paths[@]}")
[ -n "${OPENCOMMS_FAIL_ON:-}" ] && args+=(--fail-on "$OPENCOMMS_FAIL_ON")
[ -n "${OPENCOMMS_BASELINE:-}" ] && args+=(--baseline "$OPENCOMMS_BASELINE")
[ -n "${OPENCOMMS_CHANGED_SINCE:-}" ] && args+=(--changed-since "$OPENCOMMS_CHANGED_SINCE")
[ "${OPENCOMMS_CHANGED_LINES:-false}" = "true" ] && args+=(--changed-lines)
[ -n "${OPENCOMMS_PROFILE:-}" ] && args+=(--profile "$OPENCOMMS_PROFILE")
[ -n "${OPENCOMMS_CONFIG:-}" ] && args+=(--config "$OPENCOMMS_CONFIG")

if [ -n "${OPENCOMMS_SARIF_FILE:-}" ]; then
  opencomms check "${args[@]}" --format sarif --output "$OPENCOMMS_SARIF_FILE" 2>/dev/null
fi
opencomms check "${args[@]}" --format github
