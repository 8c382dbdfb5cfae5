"""Writes a bench script's results into docs/benchmarks.md, between <!-- NAME:begin --> and <!-- NAME:end -->, with
the date, the commit, the core count and the machine's speed reference (one PBKDF2 hash).
Usage: python3 bench/report.py peers|cluster RESULTS.json ONE_HASH_MS (bench/paths.sh writes its own, richer table)"""
import datetime
import json
import os
import subprocess
import sys

from markers import write_section

COLUMNS = {
    "peers": ("Peers (bench/peers.sh)",
              ["server", "tokens/s at c=32", "p99", "server CPU per token", "start to first token", "RSS after load"],
              lambda r: [r["name"], f"{r['rps']:,.0f}", f"{r['p99']:.1f} ms", f"{r['cpu_ms']:.2f} ms",
                         f"{r['startup_s']:.2f} s", f"{r['rss_mib']:.0f} MiB"]),
    "cluster": ("Scale-out (bench/cluster.sh)",
                ["database, instances", "tokens/s at c=32", "p99", "server CPU per token", "v1 changes/s (4 at a time)",
                 "change p50"],
                lambda r: [r["name"], f"{r['rps']:,.0f}", f"{r['p99']:.1f} ms", f"{r['cpu_ms']:.2f} ms",
                           f"{r['changes_per_s']:.1f}", f"{r['change_p50']:.0f} ms"]),
}


def main(name, results_path, speed):
    heading, header, row = COLUMNS[name]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    lines += ["| " + " | ".join(row(r)) + " |" for r in json.load(open(results_path))]
    table = (f"Measured {datetime.date.today()} at commit {commit} on {os.cpu_count()} cores (load generator included); "
             f"speed reference: one PBKDF2-SHA512 hash at 210,000 iterations took {speed} ms.\n\n" + "\n".join(lines) + "\n")
    print(table)
    write_section(os.path.join(root, "docs/benchmarks.md"), name, heading, table)


if __name__ == "__main__":
    main(*sys.argv[1:4])
