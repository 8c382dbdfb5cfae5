#!/usr/bin/env bash
# Token endpoint latency (client credentials, wrk) idle, then while BENCH_FLOODERS clients flood the password grant
# with wrong passwords (bench/flood.py): from as many client IPs, honouring Retry-After; from as many IPs, retrying
# refusals after 20 ms; from one IP, retrying after 20 ms. The Release host runs with production settings: PBKDF2 at
# 210,000 iterations, the default hash gate (one hash per core, a queue of four times that), default throttling and
# lockout. 127.0.0.1 only; under 60 s after the build. Prints RESULT lines; see docs/benchmarks.md.
# Usage: bench/flood.sh   (installs wrk from Debian if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
PORT=${BENCH_PORT:-5091}
FLOODERS=${BENCH_FLOODERS:-32}
SECONDS_PER_RUN=${BENCH_SECONDS:-8}
CONNECTIONS=${BENCH_CONNECTIONS:-4}

if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi

work=$(mktemp -d)
tenant=5f0c1d2e-0000-4000-8000-00000000f10d
/usr/bin/python3 - "$work" "$tenant" "$FLOODERS" <<'PY'
import json, sys
work, tenant, users = sys.argv[1], sys.argv[2], int(sys.argv[3])
# Production defaults everywhere except what a local HTTP host needs; seeded users are hashed at 210,000 iterations.
settings = {"IdentityHub": {
  "Database": {"Path": f"{work}/bench.db"},
  "Server": {"AllowInsecureHttp": True},
  "Keys": {"UseDevelopmentKeys": True, "DevelopmentKeysPath": f"{work}/keys.json"},
  "Seed": {
    "Tenants": [{"Id": tenant, "Name": "Bench", "Users": [
      {"Email": f"bench{i}@bench.test", "Password": "Correct-Horse-Battery-9"} for i in range(users)]}],
    "Clients": [{"ClientId": "bench", "ClientSecret": "bench-secret-0123456789", "TenantId": tenant,
                 "GrantTypes": ["client_credentials", "password"], "Scopes": ["openid"]}]}}}
json.dump(settings, open(f"{work}/bench.json", "w"))
PY

dotnet build src/IdentityHub.Web -c Release -v q -nologo >/dev/null
started=$(date +%s)

start_host "$work" "$PORT"
host=$HOST_PID
trap 'kill $host 2>/dev/null; wait $host 2>/dev/null; rm -rf "$work"' EXIT

export BENCH_BASIC=$(printf 'bench:bench-secret-0123456789' | base64)
export BENCH_PORT=$PORT BENCH_FLOODERS=$FLOODERS
token() { wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s bench/token.lua "http://127.0.0.1:$PORT/connect/token" | grep RESULT; }
wrk -t1 -c"$CONNECTIONS" -d3s -s bench/token.lua "http://127.0.0.1:$PORT/connect/token" >/dev/null  # warm-up (JIT, pools)

echo "# token endpoint, client_credentials, $CONNECTIONS connections: idle"
token
for scenario in ips:retry-after ips:20 one-ip:20; do
  mode=${scenario%%:*} backoff=${scenario#*:}
  echo "# token endpoint while $FLOODERS clients flood wrong passwords (mode $mode, refusals retried after $backoff)"
  BENCH_FLOOD_MODE=$mode BENCH_FLOOD_BACKOFF_MS=$backoff BENCH_FLOOD_SECONDS=$((SECONDS_PER_RUN + 2)) /usr/bin/python3 bench/flood.py &
  flood=$!
  sleep 1.5  # the flood is at full strength before measuring
  token
  wait $flood
done
if grep -qE "Unhandled|fail:" "$work/host.log"; then echo "HOST ERRORS:"; grep -E "Unhandled|fail:" "$work/host.log" | head; fi
echo "# total $(($(date +%s) - started)) s after the build"
