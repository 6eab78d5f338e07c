"""`edastack deploy` + `edastack worker` against a moto_server (a third-party AWS emulator):
the whole flow completes over HTTP with SigV4, as it would against LocalStack or AWS."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.request

import boto3

from harness import main
from pipeline_util import (Worker, actions, edastack, free_port, get_record, http, poll,
                           post_event, wait_confirmed)

MOTO = shutil.which("moto_server")
moto_proc = None
ENDPOINT = None


def setUpModule():
    global moto_proc, ENDPOINT
    if not MOTO:
        raise unittest.SkipTest("moto_server is not on PATH: skipping the moto pipeline tests")
    port = free_port()
    moto_proc = subprocess.Popen([MOTO, "-H", "127.0.0.1", "-p", str(port)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ENDPOINT = "http://127.0.0.1:%d" % port
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            opener.open(ENDPOINT + "/moto-api/", timeout=1).read()
            return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError("moto_server did not start")


def tearDownModule():
    if moto_proc:
        moto_proc.terminate()
        moto_proc.wait(timeout=10)


def client(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


class MotoPipelineTest(unittest.TestCase):
    """Default names, S3 delivery detected automatically (moto does not echo
    <EventBridgeConfiguration/>, so the S3 -> SQS fallback is used and reported)."""

    @classmethod
    def setUpClass(cls):
        first = edastack("deploy", "--endpoint", ENDPOINT)
        cls.first_deploy = actions(first.stdout)
        cls.first_output = first.stdout
        cls.second_deploy = actions(edastack("deploy", "--endpoint", ENDPOINT).stdout)
        cls.worker = Worker(ENDPOINT)
        cls.ddb = client("dynamodb")
        cls.sqs = client("sqs")
        cls.table = "event-driven-events"

    @classmethod
    def tearDownClass(cls):
        cls.worker.stop()

    def test_deploy_is_idempotent_and_reports(self):
        self.assertEqual(self.first_deploy[("queue", "event-driven-main-queue")], "created")
        self.assertEqual(self.first_deploy[("table", "event-driven-events")], "created")
        self.assertEqual(len(self.first_deploy), 12, self.first_output)
        self.assertIn("fallback", self.first_output)  # reported, not silent
        self.assertTrue(all(a == "unchanged" for a in self.second_deploy.values()),
                        self.second_deploy)
        diff = actions(edastack("diff", "--endpoint", ENDPOINT).stdout)
        self.assertTrue(all(a == "unchanged" for a in diff.values()), diff)

    def test_declared_attributes(self):
        url = self.sqs.get_queue_url(QueueName="event-driven-main-queue")["QueueUrl"]
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        redrive = json.loads(attrs["RedrivePolicy"])
        self.assertEqual(int(redrive["maxReceiveCount"]), 3)
        self.assertTrue(redrive["deadLetterTargetArn"].endswith(":event-driven-dlq"))
        self.assertIn("sns.amazonaws.com", attrs["Policy"])
        dlq = self.sqs.get_queue_url(QueueName="event-driven-dlq")["QueueUrl"]
        dattrs = self.sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
        self.assertEqual(dattrs["MessageRetentionPeriod"], "1209600")
        ttl = self.ddb.describe_time_to_live(TableName=self.table)["TimeToLiveDescription"]
        self.assertEqual(ttl["AttributeName"], "ttl")
        desc = self.ddb.describe_table(TableName=self.table)["Table"]
        self.assertEqual(desc["GlobalSecondaryIndexes"][0]["IndexName"], "status-index")

    def test_upload_ends_confirmed(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write('{"hello": "world"}')
        try:
            out = json.loads(edastack("upload", f.name, "--endpoint", ENDPOINT,
                                      "--key", "uploads/hello world.json").stdout)
        finally:
            os.unlink(f.name)
        item = wait_confirmed(self.ddb, self.table, out["eventId"])
        self.assertIsNotNone(item, "upload %s never CONFIRMED\n%s" % (out, self.worker.logs()))
        payload = item["payload"]["M"]
        self.assertEqual(payload["bucket"]["S"], "test-event-driven-files")
        self.assertEqual(payload["key"]["S"], "uploads/hello world.json")
        self.assertEqual(payload["size"]["N"], "18")
        self.assertEqual(payload["etag"]["S"], out["etag"])
        self.assertEqual(payload["contentType"]["S"], "application/json")
        self.assertEqual(item["source"]["S"], "s3")
        ttl = int(item["ttl"]["N"])
        self.assertAlmostEqual(ttl, time.time() + 7 * 86400, delta=120)
        self.assertEqual([h["M"]["status"]["S"] for h in item["history"]["L"]],
                         ["PROCESSED", "CONFIRMED"])

    def test_api_post_ends_confirmed_and_get_shows_history(self):
        status, headers, body = post_event(self.worker.api,
                                           {"type": "order.created", "payload": {"n": 1}})
        self.assertEqual(status, 202, body)
        self.assertEqual(headers.get("Access-Control-Allow-Origin"), "*")
        item = wait_confirmed(self.ddb, self.table, body["eventId"])
        self.assertIsNotNone(item, self.worker.logs())
        self.assertEqual(item["type"]["S"], "order.created")
        status, _, rec = http("GET", self.worker.api + "/events/" + body["eventId"])
        self.assertEqual(status, 200)
        self.assertEqual(rec["status"], "CONFIRMED")
        self.assertEqual(rec["payload"], {"n": 1})
        self.assertEqual(len(rec["history"]), 2)

    def test_trigger_ends_confirmed(self):
        out = json.loads(edastack("trigger", "--endpoint", ENDPOINT, "--type", "manual.test",
                                  "--payload", '{"k": "v"}').stdout)
        self.assertIsNotNone(wait_confirmed(self.ddb, self.table, out["eventId"]),
                             self.worker.logs())

    def test_same_event_five_times_makes_one_record(self):
        doc = {"type": "dup.test", "payload": {"x": 1}, "eventId": "dup-moto-1"}
        for _ in range(5):
            self.assertEqual(post_event(self.worker.api, doc)[0], 202)

        def all_seen():
            recs = [r for r in self.worker.log_records()
                    if r.get("eventId") == "dup-moto-1" and
                    r.get("function") == "sqs-message-processor"]
            return recs if len(recs) >= 5 else None
        recs = poll(all_seen, timeout=30)
        self.assertIsNotNone(recs, self.worker.logs())
        self.assertEqual(sum(r["message"] == "processed" for r in recs), 1)
        self.assertEqual(sum(r["message"] == "duplicate ignored" for r in recs), 4)
        item = wait_confirmed(self.ddb, self.table, "dup-moto-1")
        self.assertIsNotNone(item)
        time.sleep(0.5)  # let any stray confirmation land
        item = get_record(self.ddb, self.table, "dup-moto-1")
        self.assertEqual([h["M"]["status"]["S"] for h in item["history"]["L"]],
                         ["PROCESSED", "CONFIRMED"])
        scan = self.ddb.scan(TableName=self.table, FilterExpression="eventId = :e",
                             ExpressionAttributeValues={":e": {"S": "dup-moto-1"}})
        self.assertEqual(scan["Count"], 1)

    def test_poison_message_lands_in_dlq_after_three_receives(self):
        status, _, body = post_event(self.worker.api, {"type": "poison", "payload": {"fail": True},
                                                       "eventId": "poison-moto-1"})
        self.assertEqual(status, 202)
        dlq = self.sqs.get_queue_url(QueueName="event-driven-dlq")["QueueUrl"]
        found = []

        def in_dlq():
            r = self.sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10,
                                         AttributeNames=["All"], VisibilityTimeout=0)
            for m in r.get("Messages", []):
                if "poison-moto-1" in m["Body"]:
                    found.append(m)
            return found
        self.assertTrue(poll(in_dlq, timeout=30), self.worker.logs())
        rejected = [r for r in self.worker.log_records()
                    if r.get("eventId") == "poison-moto-1" and r.get("message") == "rejected"]
        self.assertEqual(len(rejected), 3, rejected)
        self.assertIsNone(get_record(self.ddb, self.table, "poison-moto-1"))

    def test_api_rejects_bad_requests(self):
        api = self.worker.api
        self.assertEqual(http("POST", api + "/events", "{not json")[0], 400)
        status, _, body = post_event(api, {"payload": {}})
        self.assertEqual(status, 400)
        self.assertIn("type", body["error"])
        status, _, body = post_event(api, {"type": "big", "payload": {"b": "x" * (256 * 1024)}})
        self.assertEqual(status, 400)
        self.assertIn("256 KiB", body["error"])
        self.assertEqual(http("GET", api + "/events/no-such-event")[0], 404)
        status, headers, _ = http("OPTIONS", api + "/events",
                                  headers={"Origin": "http://x", "Access-Control-Request-Method": "POST"})
        self.assertEqual(status, 204)
        self.assertIn("POST", headers.get("Access-Control-Allow-Methods", ""))
        status, _, text = http("GET", api + "/metrics")
        self.assertEqual(status, 200)
        self.assertIn("edastack_pipeline_events_received_total", text)
        self.assertIn('edastack_pipeline_queue_depth{queue="dlq"}', text)


class MotoEventBridgeTest(unittest.TestCase):
    """A prefixed second set with S3 -> EventBridge -> rule -> ingest queue forced: moto does
    deliver S3 events to EventBridge, so the real path is exercised; then destroy."""

    @classmethod
    def setUpClass(cls):
        cls.deploy = edastack("deploy", "--endpoint", ENDPOINT, "--prefix", "eb",
                              "--s3-notifications", "eventbridge").stdout
        cls.worker = Worker(ENDPOINT, ["--prefix", "eb"])
        cls.ddb = client("dynamodb")

    @classmethod
    def tearDownClass(cls):
        cls.worker.stop()

    def test_upload_via_eventbridge_then_destroy(self):
        self.assertIn(("queue", "eb-event-driven-main-queue"), actions(self.deploy))
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("via eventbridge")
        try:
            out = json.loads(edastack("upload", f.name, "--endpoint", ENDPOINT, "--prefix", "eb",
                                      "--key", "eb.txt").stdout)
        finally:
            os.unlink(f.name)
        self.assertEqual(out["bucket"], "eb-test-event-driven-files")
        item = wait_confirmed(self.ddb, "eb-event-driven-events", out["eventId"])
        self.assertIsNotNone(item, self.worker.logs())
        self.assertEqual(item["payload"]["M"]["contentType"]["S"], "text/plain")
        self.worker.stop()
        gone = actions(edastack("destroy", "--endpoint", ENDPOINT, "--prefix", "eb").stdout)
        self.assertEqual(gone[("table", "eb-event-driven-events")], "deleted")
        self.assertEqual(gone[("queue", "eb-event-driven-dlq")], "deleted")
        diff = actions(edastack("diff", "--endpoint", ENDPOINT, "--prefix", "eb").stdout)
        self.assertTrue(all(a == "would create" for a in diff.values()), diff)


if __name__ == "__main__":
    main()
