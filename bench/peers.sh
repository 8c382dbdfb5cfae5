#!/usr/bin/env bash
# The peer comparison in one command (issue 14): node oidc-provider (ES256, the same algorithm as ours; RS256 too with
# BENCH_RS256=1) and IdentityHub, each in turn on 127.0.0.1, under the same client-credentials load (wrk, HTTP Basic,
# 32 connections, medians of 3 x 10 s). Measures start to first token, tokens/s, p99, server CPU per token (/proc) and
# RSS after the load, waiting for a quiet machine before each run (bench/peers.py). IdentityHub runs twice: the
# `dotnet build` output (what `dotnet run` starts) and the app published for linux-x64 (ReadyToRun, as in the Dockerfile). Writes the table into
# docs/benchmarks.md between the peers markers, with the date, the commit and the machine's speed reference.
# Usage: bench/peers.sh   (installs wrk, node and npm from Debian and oidc-provider from npm when missing)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v npm >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
(cd bench/peers/oidc-provider && npm ci --no-audit --no-fund --silent)
dotnet build src/IdentityHub.Web -c Release -v q -nologo >/dev/null
# The published app as the Dockerfile builds it: for a runtime, so precompiled (ReadyToRun).
published=$(mktemp -d)
dotnet publish src/IdentityHub.Web -c Release -r linux-x64 --no-self-contained -o "$published" -v q -nologo >/dev/null

# The machine's speed reference: one PBKDF2-SHA512 hash at 210,000 iterations (the same primitive as Identity's).
speed=$(dotnet run bench/hash_cost.cs 210000 | sed -E 's/.*one_hash_ms=([0-9.]+).*/\1/')
results=$(mktemp)
BENCH_OUT="$results" BENCH_PUBLISHED="$published" /usr/bin/python3 bench/peers.py
python3 bench/report.py peers "$results" "$speed"
rm -rf "$results" "$published"
