"""The scale-out runs of bench/cluster.sh (issue 15): the token endpoint and the v1 change on SQLite (one instance) and
on PostgreSQL (one instance, then two sharing the database), on 127.0.0.1.

PostgreSQL is Debian's, started here as a plain process in a temporary folder (initdb + pg_ctl as the postgres user,
default durability settings: fsync and synchronous_commit on, like SQLite's synchronous=FULL default), stopped at the
end. Two instances on a 2-core machine share the same cores, so the two-instance rows show what sharing one database
costs, not how far the cluster scales. Standard library only; reuses bench/peers.py.
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402

ROOT = peers.ROOT
DLL = os.path.join(ROOT, "src/IdentityHub.Web/bin/Release/net10.0/IdentityHub.Web.dll")
TENANT = "5f0c1d2e-0000-4000-8000-00000000be4c"
USERS = int(os.environ.get("BENCH_USERS", "32"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PG_BIN = os.environ.get("BENCH_PG_BIN") or os.path.join("/usr/lib/postgresql", sorted(os.listdir("/usr/lib/postgresql"))[-1], "bin")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*command):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(prefix + list(command), check=True, stdout=subprocess.DEVNULL)


def start_postgres(work):
    folder, port = os.path.join(work, "pg"), free_port()
    os.makedirs(folder)
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
        shutil.chown(folder, "postgres")
    as_postgres(f"{PG_BIN}/initdb", "-D", f"{folder}/data", "-U", "postgres", "--auth=trust", "-E", "UTF8")
    as_postgres(f"{PG_BIN}/pg_ctl", "-D", f"{folder}/data", "-l", f"{folder}/log", "-w",
                "-o", f"-p {port} -k {folder} -c listen_addresses='' -c max_connections=200", "start")
    as_postgres(f"{PG_BIN}/createdb", "-h", folder, "-p", str(port), "-U", "postgres", "identityhub")
    return folder, port


def stop_postgres(folder):
    as_postgres(f"{PG_BIN}/pg_ctl", "-D", f"{folder}/data", "-m", "fast", "stop")


def settings(work, database):
    users = [{"Email": f"bench{i}@bench.test", "Password": "Correct-Horse-Battery-9"} for i in range(USERS)]
    config = {"IdentityHub": {
        "Database": database,
        "Server": {"AllowInsecureHttp": True},
        "Keys": {"UseDevelopmentKeys": True, "DevelopmentKeysPath": f"{work}/keys.json"},
        "RateLimiting": {"PermitLimit": 1000000},
        "Throttling": {"FailuresPerIpPerMinute": 1000000, "FailuresPerAccountPerMinute": 1000000},
        "Seed": {"Tenants": [{"Id": TENANT, "Name": "Bench", "Users": users}],
                 "Clients": [{"ClientId": "bench", "ClientSecret": peers.SECRET, "TenantId": TENANT,
                              "GrantTypes": ["client_credentials", "password"], "Scopes": ["openid", "account"]}]}}}
    path = os.path.join(work, "bench.json")
    with open(path, "w") as file:
        json.dump(config, file)
    return {"ASPNETCORE_ENVIRONMENT": "Development", "IdentityHub__SettingsFile": path, "Logging__LogLevel__Default": "Warning"}


def start_instance(work, env, port):
    command = ["dotnet", DLL, "--contentRoot", work, "--urls", f"http://127.0.0.1:{port}"]
    process = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if peers.token_once(f"http://127.0.0.1:{port}/connect/token"):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the instance on port {port} did not start")


def token_run(ports, processes):
    """wrk against every instance at once (32 connections in all), SECONDS s after a 10 s warm-up; CPU summed over
    instances. (The CPU per token reads higher here than in peers.sh, even for peers.sh's own configuration: 0.8
    against 0.5 ms. A longer warm-up did not change that; see docs/benchmarks.md.)"""
    connections = 32 // len(ports)

    def launch(seconds):
        return [subprocess.Popen(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
                                  os.path.join(ROOT, "bench/token.lua"), f"http://127.0.0.1:{port}/connect/token"],
                                 env={**os.environ, "BENCH_BASIC": peers.BASIC}, stdout=subprocess.PIPE, text=True)
                for port in ports]

    for run in launch(10):
        run.communicate()
    peers.wait_for_quiet()
    cpu0 = sum(peers.cpu_ticks(p.pid) for p in processes)
    results = []
    for run in launch(SECONDS):
        out = run.communicate()[0]
        line = next(l for l in out.splitlines() if l.startswith("RESULT"))
        results.append(dict(pair.split("=") for pair in line.split()[1:]))
    cpu1 = sum(peers.cpu_ticks(p.pid) for p in processes)
    requests = sum(int(r["requests"]) for r in results)
    assert all(int(r["errors"]) == 0 and int(r["non2xx"]) == 0 for r in results), results
    return {"rps": sum(float(r["rps"]) for r in results), "p99": max(float(r["p99_ms"]) for r in results),
            "cpu_ms": (cpu1 - cpu0) * 1000 / peers.CLOCK_TICKS / max(1, requests)}


def change_run(ports, two_hashes_ms):
    """The v1 change of USERS users, four at a time in all, spread evenly over the instances."""
    share = USERS // len(ports)
    runs = [subprocess.Popen([sys.executable, os.path.join(ROOT, "bench/change_password.py")],
                             env={**os.environ, "BENCH_PORT": str(port), "BENCH_TENANT": TENANT, "BENCH_USERS": str(share),
                                  "BENCH_OFFSET": str(i * share), "BENCH_CONCURRENCY": str(4 // len(ports)),
                                  "BENCH_BASIC": peers.BASIC, "BENCH_TWO_HASHES_MS": str(two_hashes_ms)},
                             stdout=subprocess.PIPE, text=True)
            for i, port in enumerate(ports)]
    results = []
    for run in runs:
        out = run.communicate()[0]
        line = next(l for l in out.splitlines() if l.startswith("RESULT"))
        results.append(dict(pair.split("=") for pair in line.split()[1:]))
    assert all(r["ok"] == r["changes"] for r in results), results
    return {"changes_per_s": sum(float(r["rps"]) for r in results),
            "change_p50": statistics.median(float(r["p50_ms"]) for r in results)}


def scenario(name, work, database, instances, two_hashes_ms):
    env = settings(work, database)
    if database.get("Provider") == "PostgreSQL":
        subprocess.run(["dotnet", DLL, "migrate", "--contentRoot", work], env={**os.environ, **env}, check=True,
                       stdout=subprocess.DEVNULL)
    ports = [free_port() for _ in range(instances)]
    processes = []
    try:
        for port in ports:
            processes.append(start_instance(work, env, port))
        result = {"name": name, **token_run(ports, processes), **change_run(ports, two_hashes_ms)}
        print(json.dumps(result), flush=True)
        return result
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)


def main():
    two_hashes_ms = float(os.environ["BENCH_TWO_HASHES_MS"])
    results = []
    sqlite = tempfile.mkdtemp(prefix="identityhub-cluster-")
    try:
        results.append(scenario("SQLite, 1 instance", sqlite, {"Path": f"{sqlite}/bench.db"}, 1, two_hashes_ms))
    finally:
        shutil.rmtree(sqlite, ignore_errors=True)
    for instances in (1, 2):
        work = tempfile.mkdtemp(prefix="identityhub-cluster-")
        folder, port = start_postgres(work)
        try:
            database = {"Provider": "PostgreSQL",
                        "ConnectionString": f"Host={folder};Port={port};Username=postgres;Database=identityhub"}
            results.append(scenario(f"PostgreSQL, {instances} instance{'s' if instances > 1 else ''}", work, database,
                                    instances, two_hashes_ms))
        finally:
            stop_postgres(folder)
            shutil.rmtree(work, ignore_errors=True)
    with open(os.environ.get("BENCH_OUT", "/dev/stdout"), "w") as out:
        json.dump(results, out)


if __name__ == "__main__":
    sys.exit(main())
