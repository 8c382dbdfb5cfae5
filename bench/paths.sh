#!/usr/bin/env bash
# The user paths in one command (issue 14, item 4): client credentials (the reference), the refresh-token grant with
# rotation, introspection, userinfo, the authorization-code exchange (PKCE), the password grant and the v1 password
# change, each at 1, 8 and 32 connections against IdentityHub built in Release on 127.0.0.1. Measures server CPU per
# request (/proc), p50, p99 and requests/s, waiting for a quiet machine before each cell (bench/paths.py drives
# bench/paths.cs, the load generator). Writes the table into docs/benchmarks.md between the paths markers, with the
# date, the commit and the machine's speed reference (one PBKDF2 hash, as bench/peers.sh).
# Usage: bench/paths.sh   (needs only the .NET 10 SDK and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
began=$(date +%s)

dotnet build src/IdentityHub.Web -c Release -v q -nologo >/dev/null
# Compiled once here, so that the driver's `dotnet run` starts at once. bench/paths.py also times the change's floor
# and the machine's speed reference with bench/hash_cost.cs (PBKDF2-SHA512 at 210,000 iterations, as Identity's).
dotnet build bench/paths.cs -v q -nologo >/dev/null
dotnet build bench/hash_cost.cs -v q -nologo >/dev/null
results=$(mktemp)
trap 'rm -f "$results"' EXIT
BENCH_OUT="$results" python3 bench/paths.py
python3 - "$results" "$(git rev-parse --short HEAD)" "$(nproc)" "$began" <<'PY'
import json, sys, datetime, re, time
sys.path.insert(0, "bench")
from markers import write_section
results, commit, cores, began = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], int(sys.argv[4])
hash_line = results["hash_cost"]
one_hash = float(re.search(r"one_hash_ms=([0-9.]+)", hash_line).group(1))
two_hashes = float(re.search(r"two_hashes_ms=([0-9.]+)", hash_line).group(1))
checks, cells = results["checks"], results["cells"]
names = {"cc": "client credentials (reference)", "refresh": "refresh-token grant, rotated", "introspect": "introspection",
         "userinfo": "userinfo", "code": "authorization-code exchange (PKCE)", "password": "password grant, 210,000 iterations",
         "change": "v1 password change, 210,000 iterations"}

def ms(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"

def triple(path, key, fmt):
    return " / ".join(fmt(c[key]) for c in cells if c["path"] == path)

rows = "\n".join(f"| {names[p]} | {triple(p, 'cpu_ms', ms)} ms | {triple(p, 'p50', ms)} ms | {triple(p, 'p99', ms)} ms | "
                 f"{triple(p, 'rps', lambda v: f'{v:,.0f}' if v >= 10 else f'{v:.1f}')} |" for p in names)
change = next(c for c in cells if c["path"] == "change" and c["connections"] == 1)
noisy = [f"{c['path']} c={c['connections']} ({c['other']:.0%})" for c in cells if c["other"] > 0.1]
table = (f"Measured {datetime.date.today()} at commit {commit} on {cores} cores (load generator included), "
         f"{(time.time() - began) / 60:.1f} minutes with the build; speed reference: one PBKDF2-SHA512 hash at 210,000 "
         f"iterations took {one_hash} ms.\n\n"
         "| path | server CPU per request (c = 1 / 8 / 32) | p50 | p99 | requests/s |\n"
         "|---|---:|---:|---:|---:|\n" + rows + "\n\n"
         f"- The v1 change one at a time: p50 {change['p50']:.1f} ms against {two_hashes} ms for its two hashes (timed just "
         f"before its cells), "
         f"**{(change['p50'] / two_hashes - 1) * 100:+.0f} %** (target ≤ +15 %).\n"
         f"- An old refresh token after rotation: {'refused' if checks['old_refresh_refused'] else 'NOT refused'} "
         f"({checks['old_refresh_status']}); a code exchanged a second time: "
         f"{'refused' if checks['code_reuse_refused'] else 'NOT refused'} ({checks['code_reuse_status']}).\n"
         f"- Cells still disturbed by other load after their repeats: {', '.join(noisy) if noisy else 'none'}.\n")
print(table)
write_section("docs/benchmarks.md", "paths", "User paths (bench/paths.sh)", table)
PY
