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
python3 - "$results" "$speed" "$(git rev-parse --short HEAD)" "$(nproc)" <<'PY'
import json, sys, datetime, re
results, speed, commit, cores = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], sys.argv[4]
rows = "\n".join(f"| {r['name']} | {r['rps']:,.0f} | {r['p99']:.1f} ms | {r['cpu_ms']:.2f} ms | {r['changes_per_s']:.1f} | {r['change_p50']:.0f} ms |"
                 for r in results)
table = (f"Measured {datetime.date.today()} at commit {commit} on {cores} cores (load generators included); "
         f"speed reference: one PBKDF2-SHA512 hash at 210,000 iterations took {speed} ms.\n\n"
         "| database, instances | tokens/s at c=32 | p99 | server CPU per token | v1 changes/s (4 at a time) | change p50 |\n"
         "|---|---:|---:|---:|---:|---:|\n" + rows + "\n")
print(table)
path = "docs/benchmarks.md"
text = open(path).read()
begin, end = "<!-- cluster:begin -->", "<!-- cluster:end -->"
section = f"{begin}\n{table}{end}"
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: section, text, flags=re.S) if begin in text else text + f"\n## Scale-out (bench/cluster.sh)\n\n{section}\n"
open(path, "w").write(text)
PY
rm -f "$results"
