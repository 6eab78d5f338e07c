#!/usr/bin/env python3
"""SNS and EventBridge benchmark: edastack vs moto_server in the same run (issue 3's targets).

For each server, at --connections (16) for --seconds each:
  publish     SNS Publish to a topic with one SQS subscriber (envelope delivery), while two
              drain threads receive+delete from the queue: publishes/s, publish latency, and
              publish -> receivable delay p50/p99 (from a timestamp inside each message);
              then paced at --paced-rate.
  publish_raw the same with RawMessageDelivery=true (no envelope, no RSA signature).
  fanout10    SNS Publish to a topic with 10 SQS subscribers: publishes/s accepted, and the
              rate at which all 10 copies became receivable (publishes / time until the last).
  put-events  EventBridge PutEvents (1 entry per call, and 10 per call) to the default bus
              with a rule -> SQS target, drained like above: events/s accepted and delivered.
Prints a table and a JSON summary. Usage:
  bench/sns_bench.py [--build DIR] [--no-build] [--seconds 5] [--connections 16] [--skip-moto]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import ROOT, build, start_edastack, start_moto, stop  # noqa: E402


def clients(endpoint):
    kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
              aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}))
    return (boto3.client("sns", **kw), boto3.client("sqs", **kw), boto3.client("events", **kw))


def make_queue(sqs, name):
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def depth(sqs, url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(a["ApproximateNumberOfMessages"]) + int(a["ApproximateNumberOfMessagesNotVisible"])


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def loadgen(lg, endpoint, mode, args, **extra):
    cmd = [lg, "--endpoint", endpoint, "--mode", mode, "--connections", str(args.connections),
           "--seconds", str(args.seconds)]
    for k, v in extra.items():
        cmd += ["--" + k.replace("_", "-"), str(v)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    log("  ", mode, extra.get("entries", ""), res)
    return res


def run_server(name, endpoint, lg, args):
    sns, sqs, events = clients(endpoint)
    r = {}
    log(name)

    # 1. one subscriber, drained while publishing.
    url, arn = make_queue(sqs, "bench-sns-1")
    topic = sns.create_topic(Name="bench-one")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    r["publish"] = loadgen(lg, endpoint, "publish", args, target=topic, drain_queue_url=url,
                           drain_threads=2, drain_idle=args.drain_idle)
    # The same, paced at a fixed offered rate: the delay when delivery keeps up (a closed
    # loop at full speed measures the backlog instead).
    if args.paced_rate > 0:
        r["publish_paced"] = loadgen(lg, endpoint, "publish", args, target=topic,
                                     drain_queue_url=url, drain_threads=2,
                                     drain_idle=args.drain_idle, rate=args.paced_rate)

    # 1b. the same with RawMessageDelivery: no envelope, so no RSA signature per publish
    # (SHA1withRSA over a 1024-bit key: ~82 µs of CPU, `openssl speed rsa1024`).
    rurl, rarn = make_queue(sqs, "bench-sns-raw")
    rtopic = sns.create_topic(Name="bench-raw")["TopicArn"]
    sns.subscribe(TopicArn=rtopic, Protocol="sqs", Endpoint=rarn,
                  Attributes={"RawMessageDelivery": "true"})
    r["publish_raw"] = loadgen(lg, endpoint, "publish", args, target=rtopic, drain_queue_url=rurl,
                               drain_threads=2, drain_idle=args.drain_idle)

    # 2. ten subscribers, counted after the load.
    topic10 = sns.create_topic(Name="bench-ten")["TopicArn"]
    urls = []
    for i in range(10):
        u, a = make_queue(sqs, "bench-fan-%d" % i)
        sns.subscribe(TopicArn=topic10, Protocol="sqs", Endpoint=a)
        urls.append(u)
    t0 = time.time()
    res = loadgen(lg, endpoint, "publish", args, target=topic10)
    want, last_total, last_change = res["ops"] * 10, -1, time.time()
    while True:
        total = sum(depth(sqs, u) for u in urls)
        if total != last_total:
            last_total, last_change = total, time.time()
        if total >= want or time.time() - last_change > args.drain_idle:
            break
        time.sleep(0.05)
    res["delivered_copies"] = last_total
    res["all_delivered_seconds"] = round(last_change - t0, 2)
    res["delivered_publish_rate"] = round(last_total / 10 / max(last_change - t0, 1e-9))
    r["fanout10"] = res

    # 3. PutEvents -> rule -> SQS, 1 and 10 entries per call.
    eurl, earn = make_queue(sqs, "bench-events")
    events.put_rule(Name="bench-rule", EventPattern=json.dumps({"source": ["bench"]}))
    events.put_targets(Rule="bench-rule", Targets=[{"Id": "q", "Arn": earn}])
    for n in (1, 10):
        r["put_events_%d" % n] = loadgen(lg, endpoint, "put-events", args, target="default",
                                         entries=n, drain_queue_url=eurl, drain_threads=2,
                                         drain_idle=args.drain_idle)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--drain-idle", type=float, default=3)
    ap.add_argument("--paced-rate", type=float, default=2000,
                    help="offered publishes/s of the paced run (0: skip it)")
    ap.add_argument("--skip-moto", action="store_true")
    ap.add_argument("--build", default=os.path.join(ROOT, "build-release"))
    ap.add_argument("--no-build", action="store_true", help="use the binaries already in --build")
    args = ap.parse_args()
    binary, lg = build(args.build, args.no_build)

    results = {}
    data = tempfile.mkdtemp(prefix="edastack-bench-")
    proc, ep, _ = start_edastack(binary, data)
    try:
        results["edastack"] = run_server("edastack", ep, lg, args)
    finally:
        stop(proc)
        shutil.rmtree(data, ignore_errors=True)
    if not args.skip_moto:
        mproc, mep, _ = start_moto()
        if mproc:
            try:
                results["moto_server"] = run_server("moto_server", mep, lg, args)
            finally:
                stop(mproc)

    print("%-12s %-14s %10s %9s %12s %10s %10s" % ("server", "workload", "accepted/s", "p99 ms",
                                                   "delivered/s", "delay p50", "delay p99"))
    for name, r in results.items():
        for w, x in r.items():
            delivered = x.get("delivered_rate", x.get("delivered_publish_rate", 0))
            print("%-12s %-14s %10.0f %9.2f %12.0f %10s %10s" % (
                name, w, x["rate"], x["p99_ms"], delivered,
                "%.2f" % x["delay_p50_ms"] if "delay_p50_ms" in x else "-",
                "%.2f" % x["delay_p99_ms"] if "delay_p99_ms" in x else "-"))
    print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
