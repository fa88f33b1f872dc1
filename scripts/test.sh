#!/usr/bin/env bash
# The whole test suite, as on a fresh machine: starts what the tests need (PostgreSQL,
# Chromium for the browser tests), checks formatting and lints, runs every test, and scores
# the coder on the shared dev set when it is there. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "services"
[ -x scripts/pg-start.sh ] && scripts/pg-start.sh
[ -x scripts/chromium-install.sh ] && scripts/chromium-install.sh
# The standard age tool: sealed files must open with it, and the tests check that they do.
if ! command -v age >/dev/null 2>&1; then
  (apt-get install -y -qq age >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq age; }) || true
fi
if command -v age >/dev/null 2>&1; then export UNREST_REQUIRE_AGE_CLI=1; fi

step "format"
cargo fmt --all -- --check

step "lints"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "tests"
cargo test --workspace

dev=../shared/eval
if [ -f "$dev/score.py" ] && [ -f "$dev/dev.jsonl" ]; then
  step "coding scores on the dev set"
  cargo build --quiet -p unrest
  for lang in en fa; do
    python3 "$dev/score.py" "$dev/dev.jsonl" --bin target/debug/unrest --lang "$lang" --json > "target/score-$lang.json"
    python3 - "$lang" "target/score-$lang.json" <<'PY'
import json, sys
lang, path = sys.argv[1], sys.argv[2]
s = json.load(open(path))
print(f"{lang}: event_f1={s['event_f1']} field_mean={s['field_mean']} evidence={s['evidence']}")
if s["event_f1"] < 0.9 or s["field_mean"] < 0.9 or (s["evidence"] is not None and s["evidence"] < 1.0):
    sys.exit(f"coding scores for {lang} fell below the issue's bar (0.9 / 0.9 / 1.0)")
PY
  done
fi
echo
echo "all checks passed"
