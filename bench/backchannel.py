"""Back-channel logout delivery time (issue 17): from a password change to the last relying party's receipt.

One host (the Release build output) with 5 confidential clients, each registered with a back-channel logout URI on a
receiver of its own (a standard-library HTTP server on 127.0.0.1 that notes when each logout token arrives). Each of
BENCH_CHANGES users signs in once through each client (password grant, not timed), so a change of its password ends
5 sessions, one per relying party, and sends 5 logout tokens. Changes run one at a time; each is timed from the moment
its request is sent (the change commits before its 204, so this is an upper bound of commit-to-receipt) until all 5
receivers hold a token whose `sub` is that user. Password hashing is lowered to 1,000 iterations: this measures
delivery, not hashing. Standard library only. Prints one RESULT line and the Markdown table.
"""
import base64
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = int(os.environ.get("BENCH_PORT", "5093"))
RECEIVER_PORT = int(os.environ.get("BENCH_RECEIVER_PORT", "5094"))
CHANGES = int(os.environ.get("BENCH_CHANGES", "100"))
PARTIES = 5
TENANT = "5f0c1d2e-0000-4000-8000-00000000bc17"
OLD, NEW = "Tulip-Orbit-Canyon-41!", "Maple-River-Falcon-73?"
received, condition = {}, threading.Condition()   # sub -> {party: monotonic seconds}


def receiver(party):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            token = urllib.parse.parse_qs(body)["logout_token"][0]
            payload = token.split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            with condition:
                received.setdefault(claims["sub"], {})[party] = time.monotonic()
                condition.notify_all()
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", RECEIVER_PORT + party), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def settings(work):
    clients = [{"ClientId": f"rp{i}", "ClientSecret": f"rp{i}-secret-0123456789", "TenantId": TENANT,
                "GrantTypes": ["password"], "Scopes": ["openid", "account"],
                "BackchannelLogoutUri": f"http://127.0.0.1:{RECEIVER_PORT + i}/backchannel-logout"} for i in range(PARTIES)]
    users = [{"Email": f"u{i}@bench.test", "Password": OLD} for i in range(CHANGES)]
    return {"IdentityHub": {
        "Database": {"Path": f"{work}/bench.db"},
        "Server": {"AllowInsecureHttp": True},
        "Keys": {"UseDevelopmentKeys": True, "DevelopmentKeysPath": f"{work}/keys.json"},
        "Passwords": {"Hashing": {"Iterations": 1000}},
        "RateLimiting": {"PermitLimit": 100000},
        "Seed": {"Tenants": [{"Id": TENANT, "Name": "Bench", "PasswordPolicy": {"Preset": "nist"}, "Users": users}],
                 "Clients": clients}}}


def call(method, path, body, headers):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=body.encode(), method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def sign_in(party, email):
    basic = base64.b64encode(f"rp{party}:rp{party}-secret-0123456789".encode()).decode()
    status, data = call("POST", "/connect/token",
                        urllib.parse.urlencode({"grant_type": "password", "username": email, "password": OLD, "scope": "openid account"}),
                        {"Content-Type": "application/x-www-form-urlencoded", "Authorization": "Basic " + basic})
    assert status == 200, (status, data)
    answer = json.loads(data)
    payload = answer["id_token"].split(".")[1]
    return answer["access_token"], json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def start_host(work):
    with open(f"{work}/bench.json", "w") as file:
        json.dump(settings(work), file)
    dll = os.path.join(ROOT, "src/IdentityHub.Web/bin/Release/net10.0/IdentityHub.Web.dll")
    env = {**os.environ, "ASPNETCORE_ENVIRONMENT": "Development", "IdentityHub__SettingsFile": f"{work}/bench.json",
           "Logging__LogLevel__Default": "Warning"}
    process = subprocess.Popen(["dotnet", dll, "--contentRoot", work, "--urls", f"http://127.0.0.1:{PORT}"], env=env,
                               stdout=open(f"{work}/host.log", "w"), stderr=subprocess.STDOUT)
    for _ in range(240):
        try:
            if call("GET", "/readyz", "", {})[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.25)
    process.kill()
    raise RuntimeError(f"the host did not start; see {work}/host.log")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main():
    work = tempfile.mkdtemp(prefix="identityhub-backchannel-")
    servers = [receiver(i) for i in range(PARTIES)]
    process = start_host(work)
    try:
        last, each, failures = [], [], 0
        for i in range(CHANGES):
            tokens = [sign_in(party, f"u{i}@bench.test") for party in range(PARTIES)]
            subject = tokens[0][1]
            sent = time.monotonic()
            status, _ = call("POST", "/v1/users/me/password", json.dumps({"current_password": OLD, "new_password": NEW}),
                             {"Content-Type": "application/json", "Authorization": "Bearer " + tokens[0][0], "X-Tenant-ID": TENANT})
            assert status == 204, status
            with condition:
                if not condition.wait_for(lambda: len(received.get(subject, {})) == PARTIES, timeout=30):
                    failures += 1
                    continue
                times = received[subject].values()
            each.extend((t - sent) * 1000 for t in times)
            last.append((max(times) - sent) * 1000)
        print(f"RESULT changes={CHANGES} parties={PARTIES} complete={len(last)} timed_out={failures} "
              f"last_p50_ms={statistics.median(last):.1f} last_p99_ms={percentile(last, 0.99):.1f} "
              f"each_p50_ms={statistics.median(each):.1f} each_p99_ms={percentile(each, 0.99):.1f}", flush=True)
        print("| changes × relying parties | all 5 received | last receipt p50 | last receipt p99 | each token p50 | each token p99 |")
        print("|---|---:|---:|---:|---:|---:|")
        print(f"| {CHANGES} × {PARTIES} | {len(last)} of {CHANGES} | {statistics.median(last):.1f} ms | {percentile(last, 0.99):.1f} ms "
              f"| {statistics.median(each):.1f} ms | {percentile(each, 0.99):.1f} ms |")
        return 0 if failures == 0 else 1
    finally:
        process.terminate()
        process.wait(10)
        for server in servers:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
