#!/usr/bin/env python3
"""DynamoDB benchmark: edastack vs moto_server in the same run (issue 5's targets).

For each server: PutItem and GetItem req/s at 16 connections (bench/ddb_loadgen; GetItem reads
random keys of a 10,000-item table). For edastack only (moto_server would take hours): load a
1,000,000-item table with a GSI by BatchWriteItem (25 items per call) while sampling the
server's RSS, then time GSI Query pages (Limit 100, partitions of 1,000 items). Prints a table
and a JSON line. The machine's load average is printed with each phase: figures taken while
other processes compete for the CPUs are lower than the server can do.

Usage: bench/ddb_bench.py [--seconds 10] [--connections 16] [--items 1000000] [--skip-moto]
                          [--skip-load] [--no-build] [--build DIR] [--binary EDASTACK]
--binary runs another edastack build (e.g. an older commit's) with this tree's load generator,
for before/after comparisons.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import shutil
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import ROOT, build, cpu_seconds, rss_kib, start_edastack, start_moto, stop  # noqa: E402


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def loadgen(lg, endpoint, mode, **kw):
    cmd = [lg, "--endpoint", endpoint, "--mode", mode]
    for k, v in kw.items():
        cmd += ["--" + k, str(v)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("ddb_loadgen %s failed: %s%s" % (mode, out.stdout, out.stderr))
    if out.stderr:
        sys.stderr.write(out.stderr)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    r["load_avg"] = loadavg()
    return r


def put_get(lg, ep, pid, args):
    """PutItem and GetItem closed loops; returns the results with server CPU µs per request."""
    loadgen(lg, ep, "create", table="bench-items")
    r = {}
    c0 = cpu_seconds(pid)
    r["put"] = loadgen(lg, ep, "put", table="bench-items", connections=args.connections,
                       seconds=args.seconds)
    r["put"]["server_cpu_us"] = round(1e6 * (cpu_seconds(pid) - c0) / max(r["put"]["ops"], 1), 1)
    loadgen(lg, ep, "create", table="bench-get")
    loadgen(lg, ep, "load", table="bench-get", items=args.get_items, connections=4)
    c0 = cpu_seconds(pid)
    r["get"] = loadgen(lg, ep, "get", table="bench-get", items=args.get_items,
                       connections=args.connections, seconds=args.seconds)
    r["get"]["server_cpu_us"] = round(1e6 * (cpu_seconds(pid) - c0) / max(r["get"]["ops"], 1), 1)
    return r


def big_load(lg, ep, pid, args):
    """The 1M-item GSI table: load with RSS sampled every 0.25 s, then Query page latency."""
    loadgen(lg, ep, "create", table="bench-gsi", gsi=1)
    samples = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append(rss_kib(pid))
            done.wait(0.25)

    th = threading.Thread(target=sample)
    th.start()
    try:
        load = loadgen(lg, ep, "load", table="bench-gsi", items=args.items,
                       partitions=args.partitions, connections=args.load_connections)
    finally:
        done.set()
        th.join()
    load["rss_min_kib"] = min(samples)
    load["rss_max_kib"] = max(samples)
    # The first quarter of the load warms the page cache; "flat" means the rest stays level.
    tail = samples[len(samples) // 4:] or samples
    load["rss_after_warmup_min_kib"] = min(tail)
    load["rss_after_warmup_max_kib"] = max(tail)
    load["rss_samples"] = len(samples)
    query = loadgen(lg, ep, "query", table="bench-gsi", partitions=args.partitions,
                    queries=args.queries, limit=args.limit)
    return load, query


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--get-items", type=int, default=10000)
    ap.add_argument("--items", type=int, default=1000000)
    ap.add_argument("--partitions", type=int, default=1000)
    ap.add_argument("--load-connections", type=int, default=8)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--skip-moto", action="store_true")
    ap.add_argument("--skip-load", action="store_true", help="no 1M-item load and GSI queries")
    ap.add_argument("--build", default=os.path.join(ROOT, "build-release"))
    ap.add_argument("--no-build", action="store_true", help="use the binaries already in --build")
    ap.add_argument("--binary", help="the edastack to measure (default: the one in --build)")
    args = ap.parse_args()

    binary, _ = build(args.build, args.no_build)
    if args.binary:
        binary = args.binary
    lg = os.path.join(args.build, "bench", "ddb_loadgen")
    results = {"nproc": os.cpu_count()}

    data = tempfile.mkdtemp(prefix="edastack-ddb-bench-")
    proc, ep, _ = start_edastack(binary, data)
    try:
        r = put_get(lg, ep, proc.pid, args)
        if not args.skip_load:
            r["load"], r["query"] = big_load(lg, ep, proc.pid, args)
        r["peak_rss_kib"] = rss_kib(proc.pid, "VmHWM")
        results["edastack"] = r
    finally:
        stop(proc)
        shutil.rmtree(data, ignore_errors=True)

    if not args.skip_moto:
        mproc, mep, _ = start_moto()
        if mproc:
            try:
                r = put_get(lg, mep, mproc.pid, args)
                r["peak_rss_kib"] = rss_kib(mproc.pid, "VmHWM")
                results["moto_server"] = r
            except SystemExit as e:  # keep edastack's figures
                print("moto_server run failed: %s" % e)
            finally:
                stop(mproc)
        else:
            print("moto_server not found: skipped")

    print("%-12s %10s %8s %8s %6s %10s %8s %8s %6s %9s" % (
        "server", "put req/s", "p99 ms", "CPU µs", "load", "get req/s", "p99 ms", "CPU µs", "load",
        "peak RSS"))
    for name in ("edastack", "moto_server"):
        if name not in results:
            continue
        r = results[name]
        print("%-12s %10.0f %8.2f %8.1f %6.2f %10.0f %8.2f %8.1f %6.2f %6.1f Mi" % (
            name, r["put"]["rate"], r["put"]["p99_ms"], r["put"]["server_cpu_us"],
            r["put"]["load_avg"], r["get"]["rate"], r["get"]["p99_ms"], r["get"]["server_cpu_us"],
            r["get"]["load_avg"], r["peak_rss_kib"] / 1024))
    if "moto_server" in results:
        e, m = results["edastack"], results["moto_server"]
        print("ratio edastack/moto: PutItem %.1fx, GetItem %.1fx" % (
            e["put"]["rate"] / max(m["put"]["rate"], 1), e["get"]["rate"] / max(m["get"]["rate"], 1)))
    e = results["edastack"]
    if "load" in e:
        ld, q = e["load"], e["query"]
        print("edastack only: %d items with a GSI by BatchWriteItem (%d connections): %.0f items/s, "
              "RSS min %.1f / max %.1f Mi (after the first quarter %.1f / %.1f Mi), load %.2f" % (
                  ld["items"], ld["connections"], ld["items_per_s"], ld["rss_min_kib"] / 1024,
                  ld["rss_max_kib"] / 1024, ld["rss_after_warmup_min_kib"] / 1024,
                  ld["rss_after_warmup_max_kib"] / 1024, ld["load_avg"]))
        print("edastack only: GSI Query page (Limit %d, 1 of %d partitions), %d queries: "
              "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, load %.2f" % (
                  q["limit"], args.partitions, q["queries"], q["p50_ms"], q["p90_ms"], q["p99_ms"],
                  q["max_ms"], q["load_avg"]))
    print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
