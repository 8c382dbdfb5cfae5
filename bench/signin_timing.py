#!/usr/bin/python3
"""Sign-in timing: does a failed password grant take as long for an unknown email as for a known one?

Alternates wrong-password requests for a seeded user and for emails that do not exist (standard library only), one
at a time so that nothing queues, and prints the median of each and their difference. Every failed sign-in should
cost exactly one password verification at the production hash cost, so the medians should be within a few percent
(the target is 10%). The known account is sent at most 4 wrong passwords in a row between successful sign-ins, so it
never locks.
"""
import http.client, os, statistics, time, urllib.parse

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "5090"))
BASIC = os.environ["BENCH_BASIC"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
KNOWN = os.environ.get("BENCH_KNOWN", "bench0@bench.test")


def grant(email, password):
    body = urllib.parse.urlencode({"grant_type": "password", "username": email, "password": password, "scope": "openid"})
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    start = time.perf_counter()
    conn.request("POST", "/connect/token", body=body,
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": "Basic " + BASIC})
    status = conn.getresponse().status
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    return status, elapsed


known, unknown = [], []
for i in range(ROUNDS):
    if i % 4 == 3:
        assert grant(KNOWN, "Correct-Horse-Battery-9")[0] == 200  # resets the failure count
    status, ms = grant(KNOWN, f"Wrong-Password-{i}")
    assert status == 400, status
    known.append(ms)
    status, ms = grant(f"nobody{i}@bench.test", f"Wrong-Password-{i}")
    assert status == 400, status
    unknown.append(ms)

k, u = statistics.median(known), statistics.median(unknown)
print(f"RESULT signin_known_wrong_p50_ms={k:.1f} signin_unknown_email_p50_ms={u:.1f} difference_pct={(u / k - 1) * 100:+.1f} rounds={ROUNDS}")
