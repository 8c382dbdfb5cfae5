"""The peer comparison of bench/peers.sh: each server in turn on 127.0.0.1, the same client-credentials load.

For each server: start to first token, then (after a warm-up) BENCH_RUNS runs of wrk for BENCH_SECONDS at
BENCH_CONNECTIONS connections, with the server's CPU time per token from /proc/<pid>/stat and its RSS after the load.
Before every run it waits for a quiet machine (at least BENCH_QUIET_IDLE of the CPU idle over a second), and a run
during which other processes took more than BENCH_NOISE of the CPU is repeated (up to three times). Medians are
reported. Standard library only.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from base64 import b64encode

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
QUIET_IDLE = float(os.environ.get("BENCH_QUIET_IDLE", "0.9"))
NOISE = float(os.environ.get("BENCH_NOISE", "0.1"))
SECRET = "bench-secret-0123456789"
BASIC = b64encode(f"bench:{SECRET}".encode()).decode()


def cpu_ticks(pid):
    """utime + stime of a process and its reaped children, in clock ticks."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15])


def machine_ticks():
    """(busy, total) clock ticks of the whole machine."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wait_for_quiet(limit_s=120):
    """Waits until the machine is at least QUIET_IDLE idle over one second; returns the idle share last seen."""
    idle = 0.0
    for _ in range(limit_s):
        busy0, total0 = machine_ticks()
        time.sleep(1)
        busy1, total1 = machine_ticks()
        idle = 1 - (busy1 - busy0) / max(1, total1 - total0)
        if idle >= QUIET_IDLE:
            break
    return idle


def token_once(url):
    request = urllib.request.Request(url, data=b"grant_type=client_credentials",
                                     headers={"Authorization": f"Basic {BASIC}",
                                              "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status == 200 and "access_token" in json.load(response)


def start(server, port):
    """Starts a server; returns (process, seconds from spawn to its first token)."""
    began = time.monotonic()
    process = subprocess.Popen(server["command"], env={**os.environ, **server["env"], "BENCH_PORT": str(port)},
                               cwd=server.get("cwd", ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}{server['token_path']}"
    while time.monotonic() - began < 60:
        try:
            if token_once(url):
                return process, time.monotonic() - began
        except OSError:
            pass
        time.sleep(0.01)
    process.kill()
    raise RuntimeError(f"{server['name']} gave no token within 60 s")


def wrk(url, seconds):
    out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency",
                          "-s", os.path.join(ROOT, "bench/token.lua"), url],
                         env={**os.environ, "BENCH_BASIC": BASIC}, capture_output=True, text=True, check=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("RESULT"))
    return dict(pair.split("=") for pair in line.split()[1:])


def measure(server, port):
    # Start-up is the median of three starts (it moves with the machine's load); the third process is measured.
    startups = []
    for _ in range(2):
        process, startup = start(server, port)
        startups.append(startup)
        process.terminate()
        process.wait(10)
    process, startup = start(server, port)
    startup = statistics.median(startups + [startup])
    url = f"http://127.0.0.1:{port}{server['token_path']}"
    try:
        wrk(url, 5)  # warm-up: JIT, pools, caches
        runs = []
        for _ in range(RUNS):
            for attempt in range(3):
                wait_for_quiet()
                cpu0, (busy0, total0) = cpu_ticks(process.pid), machine_ticks()
                result = wrk(url, SECONDS)
                cpu1, (busy1, total1) = cpu_ticks(process.pid), machine_ticks()
                requests = int(result["requests"])
                server_share = (cpu1 - cpu0) / max(1, total1 - total0)
                # What neither the server nor the load generator (about as busy as the server) used: other load.
                other = (busy1 - busy0) / max(1, total1 - total0) - 2 * server_share
                if int(result["errors"]) or int(result["non2xx"]):
                    raise RuntimeError(f"{server['name']}: errors during the run: {result}")
                if other <= NOISE or attempt == 2:
                    break
            runs.append({"rps": float(result["rps"]), "p99": float(result["p99_ms"]),
                         "cpu_ms": (cpu1 - cpu0) * 1000 / CLOCK_TICKS / max(1, requests)})
        return {"name": server["name"], "rps": statistics.median(r["rps"] for r in runs),
                "p99": statistics.median(r["p99"] for r in runs), "cpu_ms": statistics.median(r["cpu_ms"] for r in runs),
                "startup_s": startup, "rss_mib": rss_mib(process.pid)}
    finally:
        process.terminate()
        process.wait(10)


def identityhub(work, dll=None, name="IdentityHub"):
    tenant = "5f0c1d2e-0000-4000-8000-00000000be4c"
    settings = {"IdentityHub": {
        "Database": {"Path": f"{work}/bench.db"},
        "Server": {"AllowInsecureHttp": True},
        "Keys": {"UseDevelopmentKeys": True, "DevelopmentKeysPath": f"{work}/keys.json"},
        "Seed": {"Tenants": [{"Id": tenant, "Name": "Bench"}],
                 "Clients": [{"ClientId": "bench", "ClientSecret": SECRET, "TenantId": tenant,
                              "GrantTypes": ["client_credentials"], "Scopes": ["account"]}]}}}
    with open(f"{work}/bench.json", "w") as file:
        json.dump(settings, file)
    dll = dll or os.path.join(ROOT, "src/IdentityHub.Web/bin/Release/net10.0/IdentityHub.Web.dll")
    return {"name": name, "token_path": "/connect/token",
            "command": ["bash", "-c", f'exec dotnet {dll} --contentRoot {work} --urls "http://127.0.0.1:$BENCH_PORT"'],
            "env": {"ASPNETCORE_ENVIRONMENT": "Development", "IdentityHub__SettingsFile": f"{work}/bench.json",
                    "Logging__LogLevel__Default": "Warning"}}


def oidc_provider(alg):
    return {"name": f"node oidc-provider, {alg}", "token_path": "/token", "cwd": os.path.join(ROOT, "bench/peers/oidc-provider"),
            "command": ["node", "server.mjs"], "env": {"BENCH_ALG": alg}}


def main():
    port = int(os.environ.get("BENCH_PORT", "5090"))
    work = tempfile.mkdtemp(prefix="identityhub-peers-")
    try:
        servers = [oidc_provider("ES256"), identityhub(work, name="IdentityHub (dotnet build output)")]
        if os.environ.get("BENCH_PUBLISHED"):
            servers.append(identityhub(work, os.path.join(os.environ["BENCH_PUBLISHED"], "IdentityHub.Web.dll"),
                                       "IdentityHub (published, ReadyToRun)"))
        if os.environ.get("BENCH_RS256"):
            servers.insert(1, oidc_provider("RS256"))
        results = []
        for server in servers:
            # The first start of IdentityHub creates and migrates its database; the start measured is the second.
            if server["name"].startswith("IdentityHub"):
                process, _ = start(server, port)
                process.terminate()
                process.wait(10)
            results.append(measure(server, port))
            print(json.dumps(results[-1]), flush=True)
        with open(os.environ.get("BENCH_OUT", "/dev/stdout"), "w") as out:
            json.dump(results, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
