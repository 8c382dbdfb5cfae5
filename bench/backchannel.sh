#!/usr/bin/env bash
# Back-channel logout delivery time in one command (issue 17): 100 password changes, one at a time, each ending 5
# sessions held by 5 relying parties; from the change's request to the last relying party's receipt of its logout
# token, p50 and p99 (target: p99 under 2 s on this machine). See bench/backchannel.py. Writes the table into
# docs/benchmarks.md between the backchannel markers. Usage: bench/backchannel.sh   (BENCH_CHANGES=N to change 100)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/IdentityHub.Web -c Release -v q -nologo >/dev/null
output=$(mktemp)
python3 bench/backchannel.py | tee "$output"
{
  echo "Measured $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD) on $(nproc) cores, receivers and load generator on the same machine."
  echo
  grep '^|' "$output"
} | python3 bench/markers.py docs/benchmarks.md backchannel "Back-channel logout delivery (bench/backchannel.sh)"
rm -f "$output"
