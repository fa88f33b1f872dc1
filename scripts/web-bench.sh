#!/usr/bin/env bash
# Load run of the web app on loopback (wrk, from Debian's package): the public events API
# and anonymous submissions, against `serve --demo` on a fresh SQLite file.
#
#   scripts/web-bench.sh            # 15 s per run
#   DURATION=30s scripts/web-bench.sh
#
# Prints wrk's figures (requests/s, latency percentiles) and, for submissions, how many
# were answered 200 against how many reports the database then holds: none may be lost.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-15s}"
PORT="${PORT:-18181}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
cd "$ROOT"
cargo build --release -q -p unrest-web --example serve
BIN="$ROOT/target/release/examples/serve"
TMP="$(mktemp -d)"
"$BIN" --demo --db "$TMP/bench.db" --bind "127.0.0.1:$PORT" --quiet 2>"$TMP/serve.log" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/events?limit=1" >/dev/null && break; sleep 0.2; done
cat "$TMP/serve.log"
PUBLISHED=$(curl -s "http://127.0.0.1:$PORT/api/timeline" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "== public events API: GET /api/events?limit=100 ($PUBLISHED published events)"
wrk -t2 -c16 -d"$DURATION" --latency "http://127.0.0.1:$PORT/api/events?limit=100"
echo "== public events API, filtered: province and date range"
wrk -t2 -c16 -d"$DURATION" --latency "http://127.0.0.1:$PORT/api/events?province=Tehran&from=2022-10-01&to=2022-12-31&limit=50"

TOKEN=$(curl -s "http://127.0.0.1:$PORT/submit" | grep -o 'name="token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
BEFORE=$(python3 -c "import sqlite3; print(sqlite3.connect('$TMP/bench.db').execute('select count(*) from reports').fetchone()[0])")
cat > "$TMP/submit.lua" <<LUA
local threads = {}
local n = 0
function setup(thread)
  n = n + 1
  thread:set("tid", n)
  table.insert(threads, thread)
end
function init(args)
  counter = 0
  ok = 0
end
function request()
  counter = counter + 1
  local text = "Karaj,+12+November+2022:+Hundreds+of+people+gathered+in+the+main+square.+Riot+police+fired+tear+gas;+at+least+" .. counter .. "+people+were+arrested.+(run+" .. tid .. "-" .. counter .. ")"
  return wrk.format("POST", "/submit", {["Content-Type"] = "application/x-www-form-urlencoded"},
    "token=$TOKEN&lang=en&text=" .. text)
end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("ok") end
  io.write(string.format("submissions answered 200: %d\n", total))
end
LUA
echo "== submissions: POST /submit, each coded and stored before it is answered"
wrk -t2 -c4 -d"$DURATION" --latency -s "$TMP/submit.lua" "http://127.0.0.1:$PORT" | tee "$TMP/submit.out"
AFTER=$(python3 -c "import sqlite3; print(sqlite3.connect('$TMP/bench.db').execute('select count(*) from reports').fetchone()[0])")
echo "reports stored during the run: $((AFTER - BEFORE))"
OK=$(grep -o 'answered 200: [0-9]*' "$TMP/submit.out" | grep -o '[0-9]*$')
STORED=$((AFTER - BEFORE))
# wrk stops with up to one request per connection in flight: stored, never answered to it.
if [ "$STORED" -lt "$OK" ] || [ "$STORED" -gt $((OK + 4)) ]; then
  echo "LOST: $OK answered 200 but $STORED stored" >&2
  exit 1
fi
echo "none lost: $OK answered 200, $STORED stored ($((STORED - OK)) in flight when wrk stopped)"
