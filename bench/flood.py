#!/usr/bin/python3
"""Wrong-password flood at the password grant (standard library only), for bench/flood.sh.

BENCH_FLOODERS threads each send password grants with a wrong password, back to back on a keep-alive connection,
for BENCH_FLOOD_SECONDS. BENCH_FLOOD_MODE=ips: flooder i connects from its own loopback address (127.0.1.i, as
many client IPs) against its own seeded account bench<i>; one-ip: every flooder from 127.0.0.1, each against an
unknown email of its own. Targets 127.0.0.1 only. Prints one RESULT line with the answers counted by status.
A refused request (429 throttled, 503 hash gate) is retried after BENCH_FLOOD_BACKOFF_MS (default 20), or, with
BENCH_FLOOD_BACKOFF_MS=retry-after, after the answer's Retry-After (a client that honours it). Even the hostile
default waits a little: this generator shares the server's two cores, and retrying refusals in a tight loop would
mostly measure the generator's own CPU.
"""
import collections, http.client, os, threading, time, urllib.parse

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "5091"))
FLOODERS = int(os.environ.get("BENCH_FLOODERS", "32"))
SECONDS = float(os.environ.get("BENCH_FLOOD_SECONDS", "12"))
MODE = os.environ.get("BENCH_FLOOD_MODE", "ips")
BACKOFF_SETTING = os.environ.get("BENCH_FLOOD_BACKOFF_MS", "20")
HONOUR_RETRY_AFTER = BACKOFF_SETTING == "retry-after"
BACKOFF = 0 if HONOUR_RETRY_AFTER else float(BACKOFF_SETTING) / 1000
BASIC = os.environ["BENCH_BASIC"]
HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": "Basic " + BASIC}

counts, lock = collections.Counter(), threading.Lock()
end = time.monotonic() + SECONDS


def flooder(i):
    source = (f"127.0.1.{1 + i}", 0) if MODE == "ips" else None
    email = f"bench{i}@bench.test" if MODE == "ips" else f"nobody{i}@bench.test"
    local, conn, n = collections.Counter(), None, 0
    while time.monotonic() < end:
        n += 1
        body = urllib.parse.urlencode({"grant_type": "password", "username": email, "password": f"Wrong-Guess-{n}!", "scope": "openid"})
        try:
            if conn is None:
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30, source_address=source)
            conn.request("POST", "/connect/token", body=body, headers=HEADERS)
            response = conn.getresponse()
            response.read()
            local[response.status] += 1
            if response.status in (429, 503):
                time.sleep(float(response.getheader("Retry-After", "1")) if HONOUR_RETRY_AFTER else BACKOFF)
        except (OSError, http.client.HTTPException):
            local["error"] += 1
            conn = None
    with lock:
        counts.update(local)


threads = [threading.Thread(target=flooder, args=(i,)) for i in range(FLOODERS)]
start = time.monotonic()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.monotonic() - start
total = sum(counts.values())
print(f"RESULT flood mode={MODE} backoff_ms={BACKOFF_SETTING} flooders={FLOODERS} requests={total} rps={total / elapsed:.1f} "
      + " ".join(f"status_{k}={v}" for k, v in sorted(counts.items(), key=lambda kv: str(kv[0]))))
