#!/usr/bin/env bash
# Issue 16's figures: the public site, search, downloads and ingest on a generated dataset of
# N events (default 1,000,000), SQLite and PostgreSQL, as one table.
#
#   scripts/bench.sh              # 1M events
#   scripts/bench.sh 10000000     # 10M (about 10 GB per backend; built once, then reused)
#   scripts/bench.sh 1000000 --pg-prefix mine   # own PostgreSQL databases (checkouts sharing a server)
#
# Datasets stay under target/bench/ and in database unrest_bench_N; remove them when done.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
scripts/pg-start.sh >/dev/null
cargo build --release -q -p unrest
exec target/release/unrest bench store --events "${1:-1000000}" "${@:2}"
