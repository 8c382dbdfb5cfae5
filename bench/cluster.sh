#!/usr/bin/env bash
# Scale-out numbers (issue 15): the token endpoint (wrk, client credentials, 32 connections in all) and the v1 password
# change (production hashing, four at a time in all) on SQLite with one instance, then on PostgreSQL with one and with
# two instances sharing the database (bench/cluster.py). Writes the table into docs/benchmarks.md between the cluster
# markers, with the date, the commit and the machine's speed reference.
# Usage: bench/cluster.sh   (installs wrk and postgresql from Debian when missing)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v wrk >/dev/null || need+=(wrk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
dotnet build src/IdentityHub.Web -c Release -v q -nologo >/dev/null

hash_line=$(dotnet run bench/hash_cost.cs 210000)
speed=$(sed -E 's/.*one_hash_ms=([0-9.]+).*/\1/' <<<"$hash_line")
results=$(mktemp)
BENCH_OUT="$results" BENCH_TWO_HASHES_MS=$(sed -E 's/.*two_hashes_ms=([0-9.]+).*/\1/' <<<"$hash_line") /usr/bin/python3 bench/cluster.py
python3 bench/report.py cluster "$results" "$speed"
rm -f "$results"
