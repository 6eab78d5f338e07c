#!/usr/bin/env python3
"""Pipeline benchmark (issue 6's targets): the whole flow, edastack serve vs edastack worker on
moto_server in the same run.

  latency     at idle, one at a time: S3 PUT of a 1 KiB object -> its record CONFIRMED in the
              events table, and POST /events -> CONFIRMED (p50/p99; the record is polled with
              GetItem every 0.5 ms).
  throughput  POST /events from --connections (16) closed-loop connections for --seconds: the
              API's accepted req/s, then events/s through the whole flow (accepted events /
              time until the confirmation sender confirmed the last one, from /metrics).
              A burst above the flow's capacity is accepted at the API's rate (the functions
              yield to the API while it is busy, `serve --function-yield-ms`) and drained
              after, so events/s here is the burst plus its drain.
  sustained   POST /events paced (open loop) at --paced-rate (2,000/s) for --seconds: the
              events/s confirmed while the load runs, and how long after it ends the last
              event is confirmed (the lag: ~0 when the flow keeps pace).
edastack runs durable (a data directory, the default), Release build. moto_server runs the
same flow through `edastack worker --deploy` (shorter, fewer connections: moto is ~100x
slower). Usage: bench/pipeline_bench.py [--build DIR] [--no-build] [--seconds 5] [--skip-moto]
"""
import argparse
import hashlib
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import (ROOT, build, cpu_seconds, free_port, rss_kib, start_moto, stop,  # noqa: E402
                          wait_health)

BUCKET = "test-event-driven-files"
TABLE = "event-driven-events"
AUTH = ("AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/%s/aws4_request, "
        "SignedHeaders=host, Signature=0000")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else 0.0


class Conn:
    """One keep-alive HTTP connection."""

    def __init__(self, base):
        host, port = base.split("//")[1].split(":")
        self.c = http.client.HTTPConnection(host, int(port), timeout=30)

    def call(self, method, path, body=b"", headers=None):
        self.c.request(method, path, body=body, headers=headers or {})
        r = self.c.getresponse()
        return r.status, dict(r.getheaders()), r.read()


def get_status(ddb, event_id):
    _, _, body = ddb.call("POST", "/", json.dumps({
        "TableName": TABLE, "Key": {"eventId": {"S": event_id}}, "ConsistentRead": True}).encode(),
        {"X-Amz-Target": "DynamoDB_20120810.GetItem", "Content-Type": "application/x-amz-json-1.0",
         "Authorization": AUTH % "dynamodb"})
    item = json.loads(body).get("Item")
    return item and item.get("status", {}).get("S")


def wait_confirmed(ddb, event_id, t0, timeout=30):
    while time.perf_counter() - t0 < timeout:
        if get_status(ddb, event_id) == "CONFIRMED":
            return (time.perf_counter() - t0) * 1000
        time.sleep(0.0005)
    return None


def latency(endpoint, api, n, with_s3=True):
    s3, ddb, apic = Conn(endpoint), Conn(endpoint), Conn(api)
    out = {}
    if with_s3:
        lat = []
        for i in range(n):
            key = "bench/lat-%d-%d.txt" % (os.getpid(), i)
            t0 = time.perf_counter()
            st, h, _ = s3.call("PUT", "/%s/%s" % (BUCKET, key), os.urandom(1024),
                               {"Authorization": AUTH % "s3", "Content-Type": "text/plain"})
            if st != 200:
                raise SystemExit("S3 PUT answered %d" % st)
            etag = {k.lower(): v for k, v in h.items()}["etag"].strip('"')
            eid = "s3-" + hashlib.sha256(("%s\n%s\n%s" % (BUCKET, key, etag)).encode()).hexdigest()[:32]
            ms = wait_confirmed(ddb, eid, t0)
            if ms is None:
                raise SystemExit("upload %s never CONFIRMED" % key)
            lat.append(ms)
        out["s3_put_to_confirmed"] = {"n": n, "p50_ms": round(pct(lat, 0.5), 2),
                                      "p99_ms": round(pct(lat, 0.99), 2)}
    lat = []
    for i in range(n):
        t0 = time.perf_counter()
        st, _, body = apic.call("POST", "/events", json.dumps(
            {"type": "bench", "payload": {"i": i}}).encode(), {"Content-Type": "application/json"})
        if st != 202:
            raise SystemExit("POST /events answered %d" % st)
        ms = wait_confirmed(ddb, json.loads(body)["eventId"], t0)
        if ms is None:
            raise SystemExit("event never CONFIRMED")
        lat.append(ms)
    out["post_to_confirmed"] = {"n": n, "p50_ms": round(pct(lat, 0.5), 2),
                                "p99_ms": round(pct(lat, 0.99), 2)}
    return out


def confirmed_count(api):
    """Events the confirmation sender has confirmed, from the Prometheus text."""
    c = Conn(api)
    _, _, body = c.call("GET", "/metrics")
    total = 0
    for line in body.decode().splitlines():
        m = re.match(r'edastack_pipeline_events_processed_total\{function="([^"]+)"\} (\d+)', line)
        if m and "confirm" in m.group(1):
            total += int(m.group(2))
    return total


def throughput(lg, api, connections, seconds, settle, pid=None):
    base = confirmed_count(api)
    cpu0 = cpu_seconds(pid) if pid else 0.0
    t0 = time.time()
    out = subprocess.run([lg, "--endpoint", api, "--mode", "api-post", "--connections",
                          str(connections), "--seconds", str(seconds)],
                         capture_output=True, text=True, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    want, last, last_change = res["ops"], -1, time.time()
    while True:
        done = confirmed_count(api) - base
        if done != last:
            last, last_change = done, time.time()
        if done >= want or time.time() - last_change > settle:
            break
        time.sleep(0.02)
    res["confirmed"] = last
    res["loadavg_1m"] = round(os.getloadavg()[0], 2)
    if pid and last > 0:
        # Server CPU (user + system, every thread) per event through the whole flow: robust
        # on a shared machine where req/s are not.
        res["server_cpu_us_per_event"] = round((cpu_seconds(pid) - cpu0) * 1e6 / last)
    res["all_confirmed_seconds"] = round(last_change - t0, 2)
    res["events_per_s"] = round(last / max(last_change - t0, 1e-9))
    return res


def sustained(lg, api, rate, seconds):
    base = confirmed_count(api)
    t0 = time.time()
    out = subprocess.run([lg, "--endpoint", api, "--mode", "api-post", "--connections", "16",
                          "--seconds", str(seconds), "--rate", str(rate)],
                         capture_output=True, text=True, check=True)
    t_end = time.time()
    at_end = confirmed_count(api) - base
    res = json.loads(out.stdout.strip().splitlines()[-1])
    want, last, last_change = res["ops"], at_end, time.time()
    while last < want and time.time() - last_change < 10:
        time.sleep(0.01)
        done = confirmed_count(api) - base
        if done != last:
            last, last_change = done, time.time()
    res["confirmed_during_load_per_s"] = round(at_end / max(t_end - t0, 1e-9))
    res["confirmed"] = last
    res["lag_after_load_s"] = round(max(last_change - t_end, 0.0), 2) if last >= want else None
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--latency-n", type=int, default=200)
    ap.add_argument("--paced-rate", type=float, default=2000, help="0 skips the sustained run")
    ap.add_argument("--skip-moto", action="store_true")
    ap.add_argument("--build", default=os.path.join(ROOT, "build-release"))
    ap.add_argument("--no-build", action="store_true", help="use the binaries already in --build")
    args = ap.parse_args()
    binary, lg = build(args.build, args.no_build)
    results = {}

    data = tempfile.mkdtemp(prefix="edastack-bench-")
    port, api_port = free_port(), free_port()
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--api-port", str(api_port),
                             "--data", data, "--log-level", "error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint, api = "http://127.0.0.1:%d" % port, "http://127.0.0.1:%d" % api_port
    try:
        if not (wait_health(endpoint + "/_edastack/health") and wait_health(api + "/health")):
            raise SystemExit("edastack serve did not start")
        log("edastack serve: latency")
        r = latency(endpoint, api, args.latency_n)
        log("  ", r)
        log("edastack serve: throughput")
        r["throughput"] = throughput(lg, api, args.connections, args.seconds, settle=10,
                                     pid=proc.pid)
        log("  ", r["throughput"])
        if args.paced_rate > 0:
            log("edastack serve: sustained, POST paced at %.0f/s" % args.paced_rate)
            r["sustained"] = sustained(lg, api, args.paced_rate, args.seconds)
            log("  ", r["sustained"])
        r["peak_rss_kib"] = rss_kib(proc.pid, "VmHWM")
        results["edastack serve"] = r
    finally:
        stop(proc)
        shutil.rmtree(data, ignore_errors=True)

    if not args.skip_moto:
        mproc, mep, _ = start_moto()
        worker = None
        try:
            if mproc:
                api_port = free_port()
                env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                           AWS_DEFAULT_REGION="us-east-1")
                worker = subprocess.Popen([binary, "worker", "--endpoint", mep, "--deploy",
                                           "--api-port", str(api_port), "--wait-seconds", "1"],
                                          env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL)
                api = "http://127.0.0.1:%d" % api_port
                if not wait_health(api + "/health", timeout=120):
                    raise SystemExit("edastack worker on moto did not start")
                log("worker + moto_server: latency")
                r = latency(mep, api, 20, with_s3=False)
                log("  ", r)
                log("worker + moto_server: throughput")
                r["throughput"] = throughput(lg, api, 4, 3, settle=20)
                log("  ", r["throughput"])
                results["worker + moto_server"] = r
        finally:
            stop(worker)
            stop(mproc)

    print("%-22s %14s %14s %14s %14s %12s %12s %18s" % (
        "flow", "S3->CONF p50", "S3->CONF p99", "POST->CONF p50", "POST->CONF p99",
        "POST req/s", "events/s", "paced: conf/s, lag"))
    for name, r in results.items():
        s3 = r.get("s3_put_to_confirmed", {})
        sus = r.get("sustained")
        paced = "-" if not sus else "%d, %ss" % (sus["confirmed_during_load_per_s"],
                                                 sus["lag_after_load_s"])
        print("%-22s %14s %14s %14.2f %14.2f %12.0f %12.0f %18s" % (
            name, s3.get("p50_ms", "-"), s3.get("p99_ms", "-"), r["post_to_confirmed"]["p50_ms"],
            r["post_to_confirmed"]["p99_ms"], r["throughput"]["rate"],
            r["throughput"]["events_per_s"], paced))
    print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
