#!/usr/bin/python3
"""Load generator for POST /v1/users/me/password (standard library only).

Each of N seeded users first gets an access token (password grant, not timed), then changes its password
(timed), CONCURRENCY requests at a time. A change revokes the user's sessions, so every timed request uses a
fresh token. The overhead is reported against BENCH_TWO_HASHES_MS: the cost of two PBKDF2-HMAC-SHA512 hashes at the same
iteration count (what any change must pay: verify the current password, hash the new one), measured in .NET by
bench/hash_cost.cs right before.
"""
import http.client, json, os, statistics, sys, threading, time, urllib.parse

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "5090"))
USERS = int(os.environ.get("BENCH_USERS", "32"))
OFFSET = int(os.environ.get("BENCH_OFFSET", "0"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
ITERATIONS = int(os.environ.get("BENCH_ITERATIONS", "210000"))
TENANT = os.environ["BENCH_TENANT"]
OLD, NEW = "Correct-Horse-Battery-9", "Tangerine!Ocean-Lamp-42"
BASIC = os.environ["BENCH_BASIC"]


def request(method, path, body, headers):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def token(email):
    body = urllib.parse.urlencode({"grant_type": "password", "username": email, "password": OLD, "scope": "openid account"})
    status, data = request("POST", "/connect/token", body,
                           {"Content-Type": "application/x-www-form-urlencoded", "Authorization": "Basic " + BASIC})
    assert status == 200, (status, data)
    return json.loads(data)["access_token"]


tokens = [token(f"bench{OFFSET + i}@bench.test") for i in range(USERS)]
latencies, statuses, lock = [], [], threading.Lock()


def worker(indexes):
    for i in indexes:
        body = json.dumps({"current_password": OLD, "new_password": NEW})
        start = time.perf_counter()
        status, _ = request("POST", "/v1/users/me/password", body, {
            "Content-Type": "application/json", "Authorization": "Bearer " + tokens[i], "X-Tenant-ID": TENANT})
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            latencies.append(elapsed)
            statuses.append(status)


threads = [threading.Thread(target=worker, args=(range(t, USERS, CONCURRENCY),)) for t in range(CONCURRENCY)]
wall = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
wall = time.perf_counter() - wall

two_hashes_ms = float(os.environ["BENCH_TWO_HASHES_MS"])  # measured by bench/hash_cost.cs just before

latencies.sort()
p50 = statistics.median(latencies)
p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
ok = statuses.count(204)
print(f"RESULT changes={len(latencies)} ok={ok} concurrency={CONCURRENCY} rps={len(latencies) / wall:.1f} "
      f"p50_ms={p50:.1f} p99_ms={p99:.1f} two_pbkdf2_hashes_ms={two_hashes_ms:.1f} "
      f"p50_overhead_pct={(p50 / two_hashes_ms - 1) * 100:.0f}")
sys.exit(0 if ok == len(latencies) else 1)
