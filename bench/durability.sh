#!/usr/bin/env bash
# What SQLite synchronous=FULL (the default: every acknowledged commit is fsynced) costs against NORMAL, on the
# write-heaviest request: the password grant (session row, token rows, audit row). Hashing is lowered to 1,000
# iterations here so that the writes, not PBKDF2, dominate. 127.0.0.1 only; prints RESULT lines per mode.
# Usage: bench/durability.sh   (installs wrk from Debian if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
PORT=${BENCH_PORT:-5091}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
dotnet build src/IdentityHub.Web -c Release -v q -nologo >/dev/null
export BENCH_BASIC=$(printf 'bench:bench-secret-0123456789' | base64) BENCH_USER=bench0%40bench.test

for mode in FULL NORMAL; do
  work=$(mktemp -d)
  cat >"$work/bench.json" <<JSON
{"IdentityHub": {"Database": {"Path": "$work/bench.db", "Synchronous": "$mode"}, "Server": {"AllowInsecureHttp": true},
 "Keys": {"UseDevelopmentKeys": true, "DevelopmentKeysPath": "$work/keys.json"}, "Passwords": {"Hashing": {"Iterations": 1000}},
 "Seed": {"Tenants": [{"Id": "5f0c1d2e-0000-4000-8000-00000000be4c", "Name": "Bench",
   "Users": [{"Email": "bench0@bench.test", "Password": "Correct-Horse-Battery-9"}]}],
  "Clients": [{"ClientId": "bench", "ClientSecret": "bench-secret-0123456789", "TenantId": "5f0c1d2e-0000-4000-8000-00000000be4c",
   "GrantTypes": ["password"], "Scopes": ["openid", "account"]}]}}}
JSON
  start_host "$work" "$PORT"
  host=$HOST_PID
  wrk -t2 -c"$CONNECTIONS" -d3s -s bench/password_grant.lua "http://127.0.0.1:$PORT/connect/token" >/dev/null  # warm-up
  echo "# password grant, synchronous=$mode, $CONNECTIONS connections, $DURATION"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/password_grant.lua "http://127.0.0.1:$PORT/connect/token" | grep RESULT
  kill $host; wait $host 2>/dev/null || true
  rm -rf "$work"
done
