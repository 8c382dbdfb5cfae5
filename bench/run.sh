#!/usr/bin/env bash
# Measures the token endpoint (wrk, client credentials) and the v1 password change (change_password.py)
# against the real host built in Release, on 127.0.0.1 only. Prints RESULT lines; see docs/benchmarks.md.
# Usage: bench/run.sh   (installs wrk from Debian if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
PORT=${BENCH_PORT:-5090}
USERS=${BENCH_USERS:-32}
DURATION=${BENCH_DURATION:-20s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}

if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi

work=$(mktemp -d)
tenant=5f0c1d2e-0000-4000-8000-00000000be4c
python3 - "$work" "$tenant" "$((USERS * 2 + 1))" <<'PY'
import json, sys
work, tenant, users = sys.argv[1], sys.argv[2], int(sys.argv[3])
settings = {"IdentityHub": {
  "Database": {"Path": f"{work}/bench.db"},
  "Server": {"AllowInsecureHttp": True},
  "Keys": {"UseDevelopmentKeys": True, "DevelopmentKeysPath": f"{work}/keys.json"},
  "RateLimiting": {"PermitLimit": 100000},
  # The sign-in timing scenario sends 80 wrong passwords from one IP: throttling would answer most of them with 429.
  "Throttling": {"FailuresPerIpPerMinute": 100000, "FailuresPerAccountPerMinute": 100000},
  "Seed": {
    "Tenants": [{"Id": tenant, "Name": "Bench", "Users": [
      {"Email": f"bench{i}@bench.test", "Password": "Correct-Horse-Battery-9"} for i in range(users)]}],
    "Clients": [{"ClientId": "bench", "ClientSecret": "bench-secret-0123456789", "TenantId": tenant,
                 "GrantTypes": ["client_credentials", "password"], "Scopes": ["openid", "account"]}]}}}
json.dump(settings, open(f"{work}/bench.json", "w"))
PY

dotnet build src/IdentityHub.Web -c Release -v q -nologo >/dev/null

start_host "$work" "$PORT"
host=$HOST_PID
trap 'kill $host 2>/dev/null; wait $host 2>/dev/null; rm -rf "$work"' EXIT

export BENCH_BASIC=$(printf 'bench:bench-secret-0123456789' | base64)
wrk -t2 -c"$CONNECTIONS" -d5s -s bench/token.lua "http://127.0.0.1:$PORT/connect/token" >/dev/null  # warm-up (JIT, pools)
echo "# token endpoint: client_credentials, $CONNECTIONS connections, 2 threads, $DURATION"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/token.lua "http://127.0.0.1:$PORT/connect/token" | grep RESULT
hash_line=$(dotnet run bench/hash_cost.cs 210000)
echo "$hash_line"
export BENCH_TWO_HASHES_MS=$(sed -E 's/.*two_hashes_ms=([0-9.]+).*/\1/' <<<"$hash_line")
echo "# v1 password change, PBKDF2 210,000 iterations (the production default): latency, one at a time"
BENCH_PORT=$PORT BENCH_TENANT=$tenant BENCH_USERS=$USERS BENCH_CONCURRENCY=1 /usr/bin/python3 bench/change_password.py
echo "# v1 password change: throughput, 4 at a time on 2 cores"
BENCH_PORT=$PORT BENCH_TENANT=$tenant BENCH_USERS=$USERS BENCH_OFFSET=$USERS BENCH_CONCURRENCY=4 /usr/bin/python3 bench/change_password.py
echo "# sign-in timing: wrong password for a known email vs an unknown email (password grant, one at a time)"
BENCH_PORT=$PORT BENCH_KNOWN="bench$((USERS * 2))@bench.test" /usr/bin/python3 bench/signin_timing.py
