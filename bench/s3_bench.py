#!/usr/bin/env python3
"""S3 benchmark: edastack vs moto_server in the same run (issue 4's targets).

Measures, for each server, at 16 connections (wrk, bench/wrk/s3_*.lua, path-style unsigned
requests): 1 KiB PutObject req/s and 1 KiB GetObject req/s; one 64 MiB PutObject (MiB/s, best
of --large-runs); and for edastack only, the growth of its RSS (sampled every 5 ms, plus
VmHWM) during a 1 GiB upload and a 1 GiB download. The client streams the large bodies from
a generator of 1 MiB blocks and discards what it reads, so it never holds them either.
Prints a table and a JSON line; the machine's load average is part of both.

Usage: bench/s3_bench.py [--seconds 10] [--connections 16] [--skip-moto] [--no-build]
                         [--gib 1] [--build DIR]
"""
import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import ROOT, build, rss_kib, start_edastack, start_moto, stop  # noqa: E402

WRK_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrk")
BLOCK = 1 << 20
MIB = 1 << 20
# Neither server verifies it by default; moto answers anonymous requests to private objects 403.
AUTH = ("AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/s3/aws4_request, "
        "SignedHeaders=host, Signature=" + "0" * 64)


def conn(endpoint):
    host, port = endpoint.split("//")[1].split(":")
    return http.client.HTTPConnection(host, int(port), timeout=600)


def request(endpoint, method, path, body=None, headers=None):
    c = conn(endpoint)
    c.request(method, path, body=body, headers=dict(headers or {}, Authorization=AUTH))
    r = c.getresponse()
    data = r.read()
    c.close()
    if r.status >= 300:
        raise SystemExit("%s %s -> %d %s" % (method, path, r.status, data[:300]))
    return data


def wrk(endpoint, script, connections, seconds, *args):
    threads = min(connections, max(2, os.cpu_count() or 2))
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", "%gs" % seconds,
           "-s", os.path.join(WRK_DIR, script), endpoint, "--"] + list(args)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    lat = re.search(r"Latency\s+(\S+)", out)
    return {"req_s": round(rps), "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else "", "avg_latency": lat.group(1) if lat else ""}


def blocks(total):
    """Yields `total` bytes as 1 MiB blocks of one reused buffer (nothing accumulates)."""
    block = memoryview(bytes(range(256)) * (BLOCK // 256))
    left = total
    while left > 0:
        n = min(left, BLOCK)
        yield block[:n]
        left -= n


def put_stream(endpoint, path, total):
    """PUTs `total` streamed bytes with a Content-Length; returns seconds."""
    c = conn(endpoint)
    t0 = time.perf_counter()
    c.putrequest("PUT", path)
    c.putheader("Content-Length", str(total))
    c.putheader("Content-Type", "application/octet-stream")
    c.putheader("Authorization", AUTH)
    c.endheaders()
    for b in blocks(total):
        c.sock.sendall(b)
    r = c.getresponse()
    body = r.read()
    dt = time.perf_counter() - t0
    c.close()
    if r.status != 200:
        raise SystemExit("PUT %s -> %d %s" % (path, r.status, body[:300]))
    return dt


def get_stream(endpoint, path):
    """GETs `path`, reading and discarding 1 MiB at a time; returns (bytes, seconds)."""
    c = conn(endpoint)
    t0 = time.perf_counter()
    c.request("GET", path, headers={"Authorization": AUTH})
    r = c.getresponse()
    n = 0
    buf = bytearray(BLOCK)
    view = memoryview(buf)
    while True:
        k = r.readinto(view)
        if not k:
            break
        n += k
    dt = time.perf_counter() - t0
    c.close()
    if r.status != 200:
        raise SystemExit("GET %s -> %d" % (path, r.status))
    return n, dt


class RssSampler:
    """Samples a process's VmRSS every 5 ms in a thread; reports the maximum."""

    def __init__(self, pid):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.005)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def small_ops(endpoint, bucket, connections, seconds):
    request(endpoint, "PUT", "/" + bucket)
    request(endpoint, "PUT", "/%s/get-1k" % bucket, body=b"y" * 1024)
    r = {"load_before": loadavg()}
    r["put_1k"] = wrk(endpoint, "s3_put.lua", connections, seconds, bucket)
    r["get_1k"] = wrk(endpoint, "s3_get.lua", connections, seconds, bucket, "get-1k")
    return r


def large_put(endpoint, bucket, runs):
    best = None
    for i in range(runs):
        dt = put_stream(endpoint, "/%s/big-64m" % bucket, 64 * MIB)
        best = dt if best is None else min(best, dt)
    return {"put_64m_mib_s": round(64 / best, 1), "put_64m_s": round(best, 3)}


def rss_growth(endpoint, bucket, pid, gib):
    total = gib << 30
    time.sleep(0.2)
    base = rss_kib(pid)
    hwm0 = rss_kib(pid, "VmHWM")
    with RssSampler(pid) as s:
        up_s = put_stream(endpoint, "/%s/big-1g" % bucket, total)
    up_peak = s.peak
    with RssSampler(pid) as s:
        n, down_s = get_stream(endpoint, "/%s/big-1g" % bucket)
    if n != total:
        raise SystemExit("GET returned %d bytes, expected %d" % (n, total))
    return {"rss_base_kib": base,
            "upload_rss_growth_kib": max(0, up_peak - base),
            "download_rss_growth_kib": max(0, s.peak - base),
            "hwm_growth_kib": max(0, rss_kib(pid, "VmHWM") - hwm0),
            "upload_mib_s": round((total / MIB) / up_s, 1),
            "download_mib_s": round((total / MIB) / down_s, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--large-runs", type=int, default=3)
    ap.add_argument("--gib", type=int, default=1, help="size of the RSS-growth transfers")
    ap.add_argument("--skip-moto", action="store_true")
    ap.add_argument("--build", default=os.path.join(ROOT, "build-release"))
    ap.add_argument("--no-build", action="store_true", help="use the binaries already in --build")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is required (apt-get install wrk)")

    binary, _ = build(args.build, args.no_build)
    results = {}

    data = tempfile.mkdtemp(prefix="edastack-s3bench-")
    proc, ep, _ = start_edastack(binary, data)
    try:
        time.sleep(0.2)
        r = small_ops(ep, "bench", args.connections, args.seconds)
        r.update(large_put(ep, "bench", args.large_runs))
        r.update(rss_growth(ep, "bench", proc.pid, args.gib))
        r["load_after"] = loadavg()
        results["edastack"] = r
    finally:
        stop(proc)
        shutil.rmtree(data, ignore_errors=True)

    if not args.skip_moto:
        mproc, mep, _ = start_moto()
        if mproc:
            try:
                r = small_ops(mep, "bench", args.connections, args.seconds)
                r.update(large_put(mep, "bench", 1))
                r["load_after"] = loadavg()
                results["moto"] = r
            finally:
                stop(mproc)
        else:
            print("moto_server not found; skipping it", file=sys.stderr)

    e = results["edastack"]
    rows = [("1 KiB PUT req/s (16 conn)", "put_1k", "req_s", 18000),
            ("1 KiB GET req/s (16 conn)", "get_1k", "req_s", 18000)]
    print("%-34s %12s %12s %10s" % ("metric", "edastack", "moto", "target"))
    for label, k, f, target in rows:
        m = results.get("moto", {}).get(k, {}).get(f, "-")
        print("%-34s %12s %12s %10s" % (label, e[k][f], m, ">= %d" % target))
    m = results.get("moto", {}).get("put_64m_mib_s", "-")
    print("%-34s %12s %12s %10s" % ("64 MiB PUT MiB/s", e["put_64m_mib_s"], m, ">= 1024"))
    print("%-34s %12s %12s %10s" % ("%d GiB upload RSS growth KiB" % args.gib,
                                    e["upload_rss_growth_kib"], "-", "<= 16384"))
    print("%-34s %12s %12s %10s" % ("%d GiB download RSS growth KiB" % args.gib,
                                    e["download_rss_growth_kib"], "-", "<= 16384"))
    print("%-34s %12s %12s" % ("%d GiB upload / download MiB/s" % args.gib,
                               "%s/%s" % (e["upload_mib_s"], e["download_mib_s"]), "-"))
    print("load average before/after: edastack %s / %s%s" % (
        e["load_before"], e["load_after"],
        ("; moto %s / %s" % (results["moto"]["load_before"], results["moto"]["load_after"]))
        if "moto" in results else ""))
    print(json.dumps({"bench": "s3", "connections": args.connections, "seconds": args.seconds,
                      "results": results}))


if __name__ == "__main__":
    main()
