"""Durable fan-out (the transactional outbox): SNS Publish → SQS, EventBridge PutEvents → SQS
target and S3 PutObject → SQS notification. Every acknowledged write's delivery survives
`kill -9` of the server and a restart on the same --data directory (duplicates allowed,
loss not).

Two ways to hit the crash window:
- deterministic: EDASTACK_TEST_HOLD_DELIVERIES=1 makes the first process record deliveries
  but never dispatch them, so every acknowledged delivery is still pending at the kill;
- racy, under load: 8 threads publish while the server is killed mid-stream."""
import concurrent.futures
import json
import threading
import time
import unittest

from harness import Server, TempDir, main

HOLD = {"EDASTACK_TEST_HOLD_DELIVERIES": "1"}
ACCOUNT = "000000000000"


def arn(service, name):
    return "arn:aws:%s:us-east-1:%s:%s" % (service, ACCOUNT, name)


def setup(server):
    """Topic → q-sns (raw), rule → q-events, bucket → q-s3. Returns the queue URLs."""
    sqs, sns = server.client("sqs"), server.client("sns")
    events, s3 = server.client("events"), server.client("s3")
    urls = {k: sqs.create_queue(QueueName="q-" + k)["QueueUrl"] for k in ("sns", "events", "s3")}
    topic = sns.create_topic(Name="durable")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn("sqs", "q-sns"),
                  Attributes={"RawMessageDelivery": "true"})
    events.put_rule(Name="durable", EventPattern=json.dumps({"source": ["durable.test"]}))
    events.put_targets(Rule="durable", Targets=[{"Id": "q", "Arn": arn("sqs", "q-events")}])
    s3.create_bucket(Bucket="durable-bucket")
    s3.put_bucket_notification_configuration(
        Bucket="durable-bucket",
        NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": arn("sqs", "q-s3"), "Events": ["s3:ObjectCreated:*"]}]})
    # Drop the s3:TestEvent the configuration check sent.
    sqs.purge_queue(QueueUrl=urls["s3"])
    return topic, urls


def send_one(server, kind, topic, i):
    """One acknowledged write; returns the token its delivery carries."""
    token = "%s-%d" % (kind, i)
    if kind == "sns":
        server.client("sns").publish(TopicArn=topic, Message=token)
    elif kind == "events":
        r = server.client("events").put_events(Entries=[{
            "Source": "durable.test", "DetailType": "t", "Detail": json.dumps({"token": token})}])
        assert r["FailedEntryCount"] == 0, r
    else:
        server.client("s3").put_object(Bucket="durable-bucket", Key=token, Body=b"x")
    return token


def token_of(kind, body):
    if kind == "sns":
        return body
    if kind == "events":
        return json.loads(body)["detail"]["token"]
    records = json.loads(body).get("Records", [])
    return records[0]["s3"]["object"]["key"] if records else None


def drain(server, kind, want, timeout=60):
    """Receives from q-<kind> until every token in `want` was seen; returns what was seen."""
    sqs = server.client("sqs")
    url = sqs.get_queue_url(QueueName="q-" + kind)["QueueUrl"]
    seen = set()
    deadline = time.time() + timeout
    while not want <= seen and time.time() < deadline:
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        msgs = r.get("Messages", [])
        for m in msgs:
            seen.add(token_of(kind, m["Body"]))
        if msgs:
            sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(k), "ReceiptHandle": m["ReceiptHandle"]} for k, m in enumerate(msgs)])
    return seen


class HeldDeliveriesTest(unittest.TestCase):
    """Deliveries held in the first process: all of them are pending at the kill."""

    def test_every_acknowledged_delivery_arrives_after_restart(self):
        with TempDir() as data:
            server = Server(data_dir=data, env=HOLD)
            try:
                topic, urls = setup(server)
                acked = {k: set() for k in urls}
                with concurrent.futures.ThreadPoolExecutor(8) as ex:
                    for kind in urls:
                        acked[kind] = set(ex.map(lambda i, k=kind: send_one(server, k, topic, i),
                                                 range(40)))
                # Held: nothing reached the queues.
                sqs = server.client("sqs")
                for kind, url in urls.items():
                    r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
                    self.assertEqual(r.get("Messages", []), [], kind)
            finally:
                server.kill9()
            server = Server(data_dir=data)
            try:
                for kind in urls:
                    seen = drain(server, kind, acked[kind])
                    self.assertEqual(acked[kind] - seen, set(), "%s deliveries lost" % kind)
            finally:
                server.stop()


class KillUnderLoadTest(unittest.TestCase):
    """kill -9 while 8 threads publish: whatever was acknowledged is delivered."""

    def run_kind(self, kind, n=400, kill_after=150):
        with TempDir() as data:
            server = Server(data_dir=data)
            topic, urls = setup(server)
            acked, lock = set(), threading.Lock()
            killed = threading.Event()

            def work(i):
                if killed.is_set():
                    return
                try:
                    token = send_one(server, kind, topic, i)
                except Exception:
                    return  # in flight at the kill: not acknowledged
                with lock:
                    acked.add(token)
                    if len(acked) >= kill_after and not killed.is_set():
                        killed.set()
                        server.kill9()

            with concurrent.futures.ThreadPoolExecutor(8) as ex:
                list(ex.map(work, range(n)))
            if not killed.is_set():
                server.kill9()
            self.assertGreaterEqual(len(acked), kill_after)
            server = Server(data_dir=data)
            try:
                seen = drain(server, kind, acked)
                self.assertEqual(acked - seen, set(), "%s: acknowledged but lost" % kind)
            finally:
                server.stop()

    def test_sns_publish(self):
        self.run_kind("sns")

    def test_eventbridge_put_events(self):
        self.run_kind("events")

    def test_s3_put_object(self):
        self.run_kind("s3", n=250, kill_after=100)


if __name__ == "__main__":
    main()
