#!/usr/bin/env python3
"""SQS benchmark: edastack vs moto_server in the same run (issue 2's targets).

Measures, for each server: SendMessage req/s and send->receive->delete msgs/s at 16
connections (bench/loadgen), startup time (process start -> /health 200), idle and peak RSS,
and for edastack the CPU cost of 256 idle long-polling connections. Prints a table and a JSON
summary. Usage: bench/sqs_bench.py [--seconds 10] [--connections 16] [--skip-moto]
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import ROOT, build, cpu_seconds, rss_kib, start_edastack, start_moto  # noqa: E402


def loadgen(lg, endpoint, mode, connections, seconds, queue):
    out = subprocess.run([lg, "--endpoint", endpoint, "--mode", mode, "--connections",
                          str(connections), "--seconds", str(seconds), "--queue", queue],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def idle_long_polls(endpoint, pid, n=256, seconds=10):
    """Opens n connections each parked in a 20 s ReceiveMessage; returns server CPU % meanwhile."""
    host, port = endpoint.split("//")[1].split(":")
    req = urllib.request.Request(endpoint + "/", method="POST", data=json.dumps(
        {"QueueName": "idle-polls"}).encode(), headers={
        "X-Amz-Target": "AmazonSQS.CreateQueue", "Content-Type": "application/x-amz-json-1.0"})
    url = json.loads(urllib.request.urlopen(req).read())["QueueUrl"]
    body = json.dumps({"QueueUrl": url, "WaitTimeSeconds": 20, "MaxNumberOfMessages": 1}).encode()
    raw = (b"POST / HTTP/1.1\r\nHost: %s:%s\r\nX-Amz-Target: AmazonSQS.ReceiveMessage\r\n"
           b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: %d\r\n\r\n" %
           (host.encode(), port.encode(), len(body))) + body
    socks = []
    for _ in range(n):
        s = socket.create_connection((host, int(port)))
        s.sendall(raw)
        socks.append(s)
    time.sleep(3)  # let the server start its connection threads before measuring
    c0, t0 = cpu_seconds(pid), time.time()
    time.sleep(seconds)
    c1, t1 = cpu_seconds(pid), time.time()
    for s in socks:
        s.close()
    return 100.0 * (c1 - c0) / (t1 - t0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--skip-moto", action="store_true")
    ap.add_argument("--build", default=os.path.join(ROOT, "build-release"))
    ap.add_argument("--no-build", action="store_true", help="use the binaries already in --build")
    args = ap.parse_args()

    binary, lg = build(args.build, args.no_build)
    results = {}

    data = tempfile.mkdtemp(prefix="edastack-bench-")
    proc, ep, startup = start_edastack(binary, data)
    try:
        time.sleep(0.2)
        r = {"startup_ms": round(startup, 1), "idle_rss_kib": rss_kib(proc.pid)}
        r["send"] = loadgen(lg, ep, "send", args.connections, args.seconds, "bench-send")
        r["roundtrip"] = loadgen(lg, ep, "roundtrip", args.connections, args.seconds, "bench-rt")
        r["peak_rss_kib"] = rss_kib(proc.pid, "VmHWM")
        r["idle_256_long_polls_cpu_pct"] = round(idle_long_polls(ep, proc.pid), 2)
        results["edastack"] = r
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(data, ignore_errors=True)

    if not args.skip_moto:
        mproc, mep, mstart = start_moto()
        if mproc:
            try:
                r = {"startup_ms": round(mstart, 1), "idle_rss_kib": rss_kib(mproc.pid)}
                r["send"] = loadgen(lg, mep, "send", args.connections, args.seconds, "bench-send")
                r["roundtrip"] = loadgen(lg, mep, "roundtrip", args.connections, args.seconds, "bench-rt")
                r["peak_rss_kib"] = rss_kib(mproc.pid, "VmHWM")
                results["moto_server"] = r
            finally:
                mproc.terminate()
                mproc.wait()

    print("%-14s %12s %14s %10s %10s %10s" % ("server", "send req/s", "roundtrip/s", "startup ms",
                                               "idle RSS", "peak RSS"))
    for name, r in results.items():
        print("%-14s %12.0f %14.0f %10.1f %8.1f Mi %8.1f Mi" % (
            name, r["send"]["rate"], r["roundtrip"]["rate"], r["startup_ms"],
            r["idle_rss_kib"] / 1024, r["peak_rss_kib"] / 1024))
    if "moto_server" in results:
        e, m = results["edastack"], results["moto_server"]
        print("ratio edastack/moto: send %.1fx, roundtrip %.1fx" % (
            e["send"]["rate"] / max(m["send"]["rate"], 1), e["roundtrip"]["rate"] / max(m["roundtrip"]["rate"], 1)))
    print("edastack: 256 idle long polls cost %.2f %% CPU" % results["edastack"]["idle_256_long_polls_cpu_pct"])
    print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
