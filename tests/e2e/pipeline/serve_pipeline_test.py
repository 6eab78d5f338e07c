"""The pipeline inside `edastack serve`, driven only from outside: the AWS CLI uploads,
the HTTP API, boto3 polling DynamoDB with exponential back-off until CONFIRMED."""
import concurrent.futures
import json
import os
import re
import select
import tempfile
import time
import unittest

import subprocess

from harness import BIN, Server, TempDir, main
from pipeline_util import get_record, http, poll, post_event, wait_confirmed

TABLE = "event-driven-events"
NEEDED = ("sqs", "sns", "dynamodb", "events", "s3")


def start(data_dir=None):
    """A server with the pipeline; returns (server, api url). Skips when this build's emulator
    lacks a service the pipeline needs (serve then runs without it, with a warning)."""
    server = Server(["--api-port", "0"], data_dir=data_dir, pipeline=True)
    health = server.wait_healthy()
    missing = [s for s in NEEDED if s not in health.get("services", {})]
    if missing:
        server.stop()
        raise unittest.SkipTest("emulator lacks %s: the pipeline cannot run in serve yet"
                                % ", ".join(missing))
    ready, _, _ = select.select([server.proc.stdout], [], [], 60)
    line = server.proc.stdout.readline() if ready else ""
    m = re.search(r"pipeline API on http://([\d.]+):(\d+)", line)
    if not m:
        server.stop()
        raise AssertionError("the pipeline did not start in serve: %r" % line)
    return server, "http://127.0.0.1:%s" % m.group(2)


def metric(api, name, function):
    _, _, text = http("GET", api + "/metrics")
    m = re.search(r'^%s\{function="%s"\} (\S+)$' % (re.escape(name), function), text, re.M)
    return float(m.group(1)) if m else 0.0


class ServePipelineTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server, cls.api = start()
        cls.ddb = cls.server.client("dynamodb")
        cls.sqs = cls.server.client("sqs")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def upload(self, key, content="hello pipeline\n", suffix=".txt"):
        with tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False) as f:
            f.write(content)
        try:
            r = self.server.aws("s3", "cp", f.name, "s3://test-event-driven-files/" + key,
                                check=False)
            self.assertEqual(r.returncode, 0, r.stderr)
        finally:
            os.unlink(f.name)
        head = self.server.client("s3").head_object(Bucket="test-event-driven-files", Key=key)
        return head["ETag"].strip('"')

    def record_for_key(self, key):
        def find():
            items = self.ddb.scan(TableName=TABLE)["Items"]
            hits = [i for i in items if i.get("payload", {}).get("M", {}).get("key", {})
                    .get("S") == key]
            return hits if hits and all(h["status"]["S"] == "CONFIRMED" for h in hits) else None
        return poll(find, timeout=30)

    def test_one_upload_makes_one_confirmed_record(self):
        etag = self.upload("one/upload.txt")
        hits = self.record_for_key("one/upload.txt")
        self.assertIsNotNone(hits, "upload never CONFIRMED")
        self.assertEqual(len(hits), 1)
        item = hits[0]
        p = item["payload"]["M"]
        self.assertEqual(p["bucket"]["S"], "test-event-driven-files")
        self.assertEqual(p["size"]["N"], str(len("hello pipeline\n")))
        self.assertEqual(p["etag"]["S"], etag)
        self.assertEqual(p["contentType"]["S"], "text/plain")
        self.assertEqual(item["type"]["S"], "s3.object.created")
        self.assertAlmostEqual(int(item["ttl"]["N"]), time.time() + 7 * 86400, delta=120)
        status, _, rec = http("GET", self.api + "/events/" + item["eventId"]["S"])
        self.assertEqual(status, 200)
        self.assertEqual([h["status"] for h in rec["history"]], ["PROCESSED", "CONFIRMED"])

    def test_200_concurrent_uploads_and_posts(self):
        def post(i):
            status, _, body = post_event(self.api, {"type": "load", "payload": {"i": i},
                                                    "eventId": "load-%d" % i})
            return status

        def put(i):
            self.server.client("s3").put_object(Bucket="test-event-driven-files",
                                                Key="load/%d.txt" % i, Body=b"x%d" % i)
            return 200

        with concurrent.futures.ThreadPoolExecutor(32) as ex:
            results = list(ex.map(post, range(100))) + list(ex.map(put, range(100)))
        self.assertTrue(all(s in (200, 202) for s in results), results)

        def all_confirmed():
            items = self.ddb.scan(TableName=TABLE)["Items"]
            mine = [i for i in items if i["eventId"]["S"].startswith("load-") or
                    i.get("payload", {}).get("M", {}).get("key", {}).get("S", "")
                    .startswith("load/")]
            done = [i for i in mine if i["status"]["S"] == "CONFIRMED"]
            return mine if len(done) == 200 else None
        mine = poll(all_confirmed, timeout=120, max_delay=2.0)
        self.assertIsNotNone(mine, "not all 200 events CONFIRMED")
        self.assertEqual(len({i["eventId"]["S"] for i in mine}), 200)

    def test_metrics_show_the_functions_yielding_to_the_api(self):
        _, _, text = http("GET", self.api + "/metrics")
        for name in ("edastack_pipeline_api_requests_in_flight",
                     "edastack_pipeline_function_batches_held"):
            m = re.search(r"^%s (\S+)$" % name, text, re.M)
            self.assertIsNotNone(m, name)
            self.assertGreaterEqual(float(m.group(1)), 0)
        # The /metrics request itself is the one being served.
        self.assertRegex(text, r"(?m)^edastack_pipeline_api_requests_in_flight 1$")

    def test_function_yield_ms_is_validated(self):
        for bad in ("-1", "10001", "soon"):
            r = subprocess.run([BIN, "serve", "--ephemeral", "--port", "0",
                                "--function-yield-ms", bad],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 2, (bad, r.stderr))
            self.assertIn("--function-yield-ms", r.stderr)

    def test_same_event_five_times_makes_one_record(self):
        doc = {"type": "dup", "payload": {"v": 1}, "eventId": "dup-serve-1"}
        before = metric(self.api, "edastack_pipeline_events_duplicate_total",
                        "sqs-message-processor")
        for _ in range(5):
            self.assertEqual(post_event(self.api, doc)[0], 202)
        self.assertTrue(poll(lambda: metric(self.api, "edastack_pipeline_events_duplicate_total",
                                            "sqs-message-processor") >= before + 4, timeout=30))
        item = wait_confirmed(self.ddb, TABLE, "dup-serve-1")
        self.assertIsNotNone(item)
        time.sleep(0.3)
        item = get_record(self.ddb, TABLE, "dup-serve-1")
        self.assertEqual([h["M"]["status"]["S"] for h in item["history"]["L"]],
                         ["PROCESSED", "CONFIRMED"])


class ServePoisonTest(unittest.TestCase):
    """Its own server, so the failure counter counts only the poison message."""

    def test_poison_lands_in_dlq_after_three_receives(self):
        server, api = start()
        try:
            status, _, _ = post_event(api, {"type": "bad", "payload": {"fail": True},
                                            "eventId": "poison-serve"})
            self.assertEqual(status, 202)
            sqs = server.client("sqs")
            dlq = sqs.get_queue_url(QueueName="event-driven-dlq")["QueueUrl"]
            found = []

            def in_dlq():
                r = sqs.receive_message(QueueUrl=dlq, AttributeNames=["All"], VisibilityTimeout=0)
                found.extend(m for m in r.get("Messages", []) if "poison-serve" in m["Body"])
                return found
            self.assertTrue(poll(in_dlq, timeout=30), "poison never reached the DLQ")
            self.assertEqual(metric(api, "edastack_pipeline_events_failed_total",
                                    "sqs-message-processor"), 3.0)
            self.assertIsNone(get_record(server.client("dynamodb"), TABLE, "poison-serve"))
        finally:
            server.stop()


class ServeCrashTest(unittest.TestCase):
    """202 is sent only after SNS Publish committed the message and its fan-out (the outbox),
    so kill -9 right after the acknowledgements loses nothing."""

    def test_kill9_mid_flow_then_restart_confirms_each_event_once(self):
        with TempDir() as data:
            server, api = start(data)
            ids = ["crash-%d" % i for i in range(60)]
            try:
                s3 = server.client("s3")
                keys = ["crash/%d.txt" % i for i in range(20)]
                with concurrent.futures.ThreadPoolExecutor(16) as ex:
                    uploads = ex.map(lambda k: s3.put_object(
                        Bucket="test-event-driven-files", Key=k, Body=b"c"), keys)
                    statuses = list(ex.map(lambda i: post_event(
                        api, {"type": "crash", "payload": {}, "eventId": i})[0], ids))
                    list(uploads)
                self.assertEqual(set(statuses), {202})
            finally:
                server.kill9()
            server, api = start(data)
            try:
                ddb = server.client("dynamodb")
                for i in ids:
                    item = wait_confirmed(ddb, TABLE, i, timeout=60)
                    self.assertIsNotNone(item, "%s not CONFIRMED after restart (record: %r)"
                                         % (i, get_record(ddb, TABLE, i)))
                    self.assertEqual([h["M"]["status"]["S"] for h in item["history"]["L"]],
                                     ["PROCESSED", "CONFIRMED"], i)

                # Acknowledged uploads too (S3 → EventBridge → ingest → SNS → ...).
                def uploads_confirmed():
                    items = ddb.scan(TableName=TABLE)["Items"]
                    mine = [x for x in items if x.get("payload", {}).get("M", {})
                            .get("key", {}).get("S", "").startswith("crash/")]
                    done = [x for x in mine if x["status"]["S"] == "CONFIRMED"]
                    return mine if len(done) == len(keys) else None
                mine = poll(uploads_confirmed, timeout=150, max_delay=2.0)
                self.assertIsNotNone(mine, "not every acknowledged upload CONFIRMED")
                self.assertEqual(sorted(x["payload"]["M"]["key"]["S"] for x in mine),
                                 sorted(keys))
            finally:
                server.stop()


if __name__ == "__main__":
    main()
