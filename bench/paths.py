"""The user paths of bench/paths.sh (issue 14, item 4): server CPU per request, p50, p99 and requests/s at 1, 8 and 32
connections for each path, with bench/paths.cs as the load generator.

Two hosts in turn on one throwaway database (both Development, Warning logs, the account API's rate limit and the
failure throttles raised so that they refuse no bench load):
1. hashing lowered to BENCH_FIXTURE_ITERATIONS (1,000) through IdentityHub:Passwords:Hashing:Iterations, only so that
   seeding ~300 users and signing the fixtures in is quick: client credentials (the reference), refresh-token grant
   with rotation, introspection, userinfo, authorization-code exchange. None of these hashes a password when timed.
2. the production cost, 210,000 iterations, and the hash gate's queue raised to 64 (its slots stay the default, one
   per core): the password grant and the v1 password change. A password-grant user's first (untimed) sign-in
   re-hashes its seeded password at 210,000 iterations. The change's users are seeded by this host, at the production
   cost, like a production account: a hash and a history entry at 210,000 iterations (seeded at 1,000 and re-hashed
   at sign-in, their history entry stayed at 1,000). Their seeding, two hashes a user, runs in a start of its own
   before the timed one. The driver reads the stored hashes and refuses to time a user whose hash is at another cost.
Before every cell it waits for a quiet machine (bench/peers.py); a cell during which other processes took more than
BENCH_NOISE of the CPU is repeated once (each wait gives up after BENCH_QUIET_LIMIT seconds, so that a busy shared
machine does not stretch the run past a few minutes).
Writes the results as JSON to BENCH_OUT: the checks, bench/hash_cost.cs's line and the cells. Standard library only.
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers import CLOCK_TICKS, NOISE, ROOT, SECRET, cpu_ticks, machine_ticks, start, token_once, wait_for_quiet  # noqa: E402

TENANT = "5f0c1d2e-0000-4000-8000-00000000be4c"
PASSWORD = "Correct-Horse-Battery-9"
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
FIXTURE_ITERATIONS = int(os.environ.get("BENCH_FIXTURE_ITERATIONS", "1000"))
# The longest wait for a quiet machine before a cell (the script should stay within ~6 minutes on a shared machine).
QUIET_LIMIT = int(os.environ.get("BENCH_QUIET_LIMIT", "10"))
CONNECTIONS = [1, 8, 32]
# Fast paths run for SECONDS per cell; the password grant for these seconds; the change does this many changes per
# connection (each on its own user, whose sessions the change ends).
PASSWORD_SECONDS = {1: 3, 8: 3, 32: 5}
CHANGES_PER_CONNECTION = {1: 5, 8: 1, 32: 1}
# Each change takes a user of its own, and a disturbed cell is repeated once (bench/paths.cs takes them in order).
CHANGE_USERS = 2 * sum(c * CHANGES_PER_CONNECTION[c] for c in CONNECTIONS)
# How long the start that seeds the change's users (two hashes each at 210,000 iterations) may take.
SEED_LIMIT = int(os.environ.get("BENCH_SEED_LIMIT", "600"))
FAST_PATHS = ["cc", "refresh", "introspect", "userinfo", "code"]


def settings(work, iterations, queue_limit=None):
    users = ([f"refresh{i}" for i in range(33)] + [f"user{i}" for i in range(32)] + ["browser0"]
             + [f"password{i}" for i in range(32)])
    if iterations == 210000:
        users += [f"change{i}" for i in range(CHANGE_USERS)]
    hashing = {"Iterations": iterations}
    if queue_limit is not None:
        hashing["QueueLimit"] = queue_limit
    return {"IdentityHub": {
        "Database": {"Path": f"{work}/bench.db"},
        "Server": {"AllowInsecureHttp": True},
        "Keys": {"UseDevelopmentKeys": True, "DevelopmentKeysPath": f"{work}/keys.json"},
        "Passwords": {"Hashing": hashing},
        "RateLimiting": {"PermitLimit": 1000000},
        "Throttling": {"FailuresPerIpPerMinute": 1000000, "FailuresPerAccountPerMinute": 1000000},
        "Seed": {
            "Tenants": [{"Id": TENANT, "Name": "Bench",
                         "Users": [{"Email": f"{name}@bench.test", "Password": PASSWORD} for name in users]}],
            "Clients": [
                {"ClientId": "bench", "ClientSecret": SECRET, "TenantId": TENANT,
                 "GrantTypes": ["client_credentials", "password", "refresh_token"], "Scopes": ["openid", "account"]},
                {"ClientId": "bench-spa", "TenantId": TENANT, "GrantTypes": ["authorization_code", "refresh_token"],
                 "RedirectUris": ["http://127.0.0.1:9/callback"], "Scopes": ["openid", "account"]}]}}}


def host(work, iterations, queue_limit=None):
    with open(f"{work}/bench.json", "w") as file:
        json.dump(settings(work, iterations, queue_limit), file)
    dll = os.path.join(ROOT, "src/IdentityHub.Web/bin/Release/net10.0/IdentityHub.Web.dll")
    return {"name": "IdentityHub", "token_path": "/connect/token",
            "command": ["bash", "-c", f'exec dotnet {dll} --contentRoot {work} --urls "http://127.0.0.1:$BENCH_PORT"'],
            "env": {"ASPNETCORE_ENVIRONMENT": "Development", "IdentityHub__SettingsFile": f"{work}/bench.json",
                    "Logging__LogLevel__Default": "Warning"}}


class Generator:
    """bench/paths.cs, driven one line at a time."""

    def __init__(self, url):
        self.process = subprocess.Popen(["dotnet", "run", os.path.join(ROOT, "bench/paths.cs"), "--", url, TENANT],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1, cwd=ROOT)

    def ask(self, command, expect):
        self.process.stdin.write(command + "\n")
        for line in self.process.stdout:
            word, _, rest = line.strip().partition(" ")
            if word == expect:
                return json.loads(rest)
            if word == "ERROR":
                raise RuntimeError(f"{command}: {json.loads(rest)}")
        raise RuntimeError(f"{command}: the load generator exited")

    def close(self):
        try:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


def stored_iterations(work, emails):
    """PBKDF2 iteration count of each user's stored hash (Identity's v3 format: 0x01, PRF, iterations, ...)."""
    from base64 import b64decode
    with sqlite3.connect(f"file:{work}/bench.db?mode=ro", uri=True) as db:
        rows = db.execute(f"SELECT Email, PasswordHash FROM AspNetUsers WHERE Email IN ({','.join('?' * len(emails))})",
                          emails).fetchall()
    return {email: int.from_bytes(b64decode(hashed)[5:9], "big") for email, hashed in rows}


def cell(generator, process, path, connections, amount, check=None):
    """One timed cell, repeated when other load disturbed it."""
    attempts = 2
    for attempt in range(attempts):
        ready = generator.ask(f"prepare {path} {connections} {amount}", "READY")
        if check:
            check(ready["emails"])
        idle = wait_for_quiet(QUIET_LIMIT)
        cpu0, (busy0, total0) = cpu_ticks(process.pid), machine_ticks()
        result = generator.ask("go", "RESULT")
        cpu1, (busy1, total1) = cpu_ticks(process.pid), machine_ticks()
        if result["errors"]:
            raise RuntimeError(f"{path} at c={connections}: {result['errors']} failed requests, last: {result['last_error']}")
        client_ticks = result["client_cpu_ms"] * CLOCK_TICKS / 1000
        other = (busy1 - busy0 - (cpu1 - cpu0) - client_ticks) / max(1, total1 - total0)
        result.update(path=path, connections=connections, other=other, idle_before=idle, attempts=attempt + 1,
                      cpu_ms=(cpu1 - cpu0) * 1000 / CLOCK_TICKS / max(1, result["requests"]))
        if other <= NOISE:
            break
    print(json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in result.items()}), file=sys.stderr, flush=True)
    return result


def seed(server, port):
    """Starts the server once, untimed, only so that it seeds (the next start finds the seed applied), then stops it."""
    process = subprocess.Popen(server["command"], env={**os.environ, **server["env"], "BENCH_PORT": str(port)},
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}{server['token_path']}"
        began = time.monotonic()
        while time.monotonic() - began < SEED_LIMIT:
            try:
                if token_once(url):
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the seed did not finish within {SEED_LIMIT} s")
    finally:
        process.terminate()
        process.wait(10)


def run_host(server, port, body):
    process, _ = start(server, port)
    generator = Generator(f"http://127.0.0.1:{port}/")
    try:
        return body(generator, process)
    finally:
        generator.close()
        process.terminate()
        process.wait(10)


def fast_paths(generator, process):
    results = [generator.ask("check", "CHECK")]
    print(json.dumps(results[0]), file=sys.stderr, flush=True)
    for path in FAST_PATHS:
        generator.ask(f"warmup {path}", "DONE")
        results += [cell(generator, process, path, c, SECONDS) for c in CONNECTIONS]
    return results


def hash_paths(work):
    def check(emails):
        wrong = {e: n for e, n in stored_iterations(work, emails).items() if n != 210000}
        if wrong or not emails:
            raise RuntimeError(f"users not hashed at 210,000 iterations: {wrong}")

    def body(generator, process):
        generator.ask("warmup password", "DONE")
        results = [cell(generator, process, "password", c, PASSWORD_SECONDS[c], check) for c in CONNECTIONS]
        # The change's floor, two PBKDF2 hashes in .NET, measured on the same quiet machine right before its cells.
        wait_for_quiet(QUIET_LIMIT)
        floor = subprocess.run(["dotnet", "run", os.path.join(ROOT, "bench/hash_cost.cs"), "210000"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        print(floor, file=sys.stderr, flush=True)
        results += [cell(generator, process, "change", c, CHANGES_PER_CONNECTION[c], check) for c in CONNECTIONS]
        return floor, results
    return body


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that the hosts are stopped and the folder removed
    port = int(os.environ.get("BENCH_PORT", "5091"))
    with tempfile.TemporaryDirectory(prefix="identityhub-paths-", ignore_cleanup_errors=True) as work:
        checks, *cells = run_host(host(work, FIXTURE_ITERATIONS), port, fast_paths)
        seed(host(work, 210000, queue_limit=64), port)
        floor, hash_cells = run_host(host(work, 210000, queue_limit=64), port, hash_paths(work))
    results = {"checks": checks, "hash_cost": floor, "cells": cells + hash_cells}
    with open(os.environ.get("BENCH_OUT", "/dev/stdout"), "w") as out:
        json.dump(results, out)


if __name__ == "__main__":
    sys.exit(main())
