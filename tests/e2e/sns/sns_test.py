"""SNS end to end with boto3 and the AWS CLI: fan-out to SQS with filter policies, raw vs
envelope (signature checked with openssl against the served certificate), FIFO order,
HTTP subscriptions with confirmation and retries, DLQs, PublishBatch, error shapes."""
import base64
import http.server
import json
import os
import queue
import subprocess
import tempfile
import threading
import time
import urllib.request

from harness import ServerTestCase, main


class Hook(http.server.BaseHTTPRequestHandler):
    """Records POSTs into server.received; answers with server.statuses.pop(0) or 200."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.server.received.put((dict(self.headers), body, status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def start_hook(statuses=()):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    srv.received = queue.Queue()
    srv.statuses = list(statuses)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


class SnsTest(ServerTestCase):
    def setUp(self):
        self.sns = self.server.client("sns")
        self.sqs = self.server.client("sqs")

    def queue(self, name, **attrs):
        url = self.sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        return url, arn

    def receive_all(self, url, expect, timeout=5):
        """Receives until `expect` messages arrived, then checks that no more come."""
        out = []
        deadline = time.time() + timeout
        while len(out) < expect and time.time() < deadline:
            r = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                         MessageAttributeNames=["All"], AttributeNames=["All"])
            for m in r.get("Messages", []):
                out.append(m)
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        extra = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        self.assertEqual(extra.get("Messages", []), [], "unexpected extra messages")
        return out

    def test_one_topic_three_filtered_queues(self):
        topic = self.sns.create_topic(Name="orders")["TopicArn"]
        qs = {}
        policies = {
            "red": ({"color": ["red"]}, "MessageAttributes"),
            "big": ({"n": [{"numeric": [">", 100]}]}, "MessageAttributes"),
            "body": ({"kind": {"type": [{"prefix": "order-"}]}}, "MessageBody"),
        }
        for name, (policy, scope) in policies.items():
            url, arn = self.queue("filt-" + name)
            self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={
                "FilterPolicy": json.dumps(policy), "FilterPolicyScope": scope,
                "RawMessageDelivery": "true"})
            qs[name] = url

        def pub(msg, **attrs):
            ma = {}
            for k, v in attrs.items():
                if isinstance(v, int):
                    ma[k] = {"DataType": "Number", "StringValue": str(v)}
                else:
                    ma[k] = {"DataType": "String", "StringValue": v}
            self.sns.publish(TopicArn=topic, Message=msg, MessageAttributes=ma)

        pub("m1", color="red", n=5)
        pub("m2", color="blue", n=500)
        pub(json.dumps({"kind": {"type": "order-new"}}), color="green")
        pub(json.dumps({"kind": {"type": "refund"}}), color="red", n=101)
        pub("m5")
        red = sorted(m["Body"] for m in self.receive_all(qs["red"], 2))
        self.assertEqual(red, ["m1", json.dumps({"kind": {"type": "refund"}})])
        big = sorted(m["Body"] for m in self.receive_all(qs["big"], 2))
        self.assertEqual(big, [json.dumps({"kind": {"type": "refund"}}), "m2"])
        body = [m["Body"] for m in self.receive_all(qs["body"], 1)]
        self.assertEqual(body, [json.dumps({"kind": {"type": "order-new"}})])

    def test_envelope_vs_raw_and_signature(self):
        topic = self.sns.create_topic(Name="env")["TopicArn"]
        env_url, env_arn = self.queue("env-q")
        raw_url, raw_arn = self.queue("raw-q")
        env_sub = self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=env_arn)[
            "SubscriptionArn"]
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=raw_arn,
                           Attributes={"RawMessageDelivery": "true"})
        mid = self.sns.publish(TopicArn=topic, Message='{"a": 1}', Subject="hello",
                               MessageAttributes={
                                   "color": {"DataType": "String", "StringValue": "red"},
                                   "n": {"DataType": "Number", "StringValue": "5"},
                                   "bin": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
                                   "arr": {"DataType": "String.Array",
                                           "StringValue": '["a","b"]'}})["MessageId"]
        env = self.receive_all(env_url, 1)[0]
        doc = json.loads(env["Body"])
        self.assertEqual(list(doc.keys()), [
            "Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion",
            "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"])
        self.assertEqual(doc["Type"], "Notification")
        self.assertEqual(doc["MessageId"], mid)
        self.assertEqual(doc["Message"], '{"a": 1}')
        self.assertRegex(doc["Timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(doc["MessageAttributes"]["color"], {"Type": "String", "Value": "red"})
        self.assertEqual(doc["MessageAttributes"]["n"], {"Type": "Number", "Value": "5"})
        self.assertEqual(doc["MessageAttributes"]["bin"], {"Type": "Binary", "Value": "AAE="})
        self.assertEqual(doc["MessageAttributes"]["arr"]["Type"], "String.Array")
        self.assertNotIn("MessageAttributes", env)
        self.assertIn(env_sub, urllib.request.unquote(doc["UnsubscribeURL"]))
        # The signature verifies with the certificate served at SigningCertURL.
        cert = urllib.request.urlopen(doc["SigningCertURL"]).read()
        canonical = "".join("%s\n%s\n" % (k, doc[k]) for k in
                            ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"])
        self.assertTrue(openssl_verify(cert, canonical, doc["Signature"], "sha1"))
        self.assertFalse(openssl_verify(cert, canonical + "x", doc["Signature"], "sha1"))

        raw = self.receive_all(raw_url, 1)[0]
        self.assertEqual(raw["Body"], '{"a": 1}')
        attrs = raw["MessageAttributes"]
        self.assertEqual(attrs["color"], {"StringValue": "red", "DataType": "String"})
        self.assertEqual(attrs["n"], {"StringValue": "5", "DataType": "Number"})
        self.assertEqual(attrs["bin"]["BinaryValue"], b"\x00\x01")

        # Visiting UnsubscribeURL removes the subscription.
        urllib.request.urlopen(doc["UnsubscribeURL"]).read()
        subs = self.sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        self.assertEqual([s["Endpoint"] for s in subs], [raw_arn])

    def test_fifo_topic_to_fifo_queue_keeps_order_and_dedups(self):
        topic = self.sns.create_topic(Name="t.fifo", Attributes={
            "FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
        url, arn = self.queue("fq.fifo", FifoQueue="true")
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                           Attributes={"RawMessageDelivery": "true"})
        seqs = []
        for i in range(12):
            r = self.sns.publish(TopicArn=topic, Message="m%d" % i, MessageGroupId="g1")
            seqs.append(int(r["SequenceNumber"]))
        self.assertEqual(seqs, sorted(seqs))
        dup = self.sns.publish(TopicArn=topic, Message="m0", MessageGroupId="g1")
        self.assertIn("MessageId", dup)
        got = [m for m in self.receive_all(url, 12)]
        self.assertEqual([m["Body"] for m in got], ["m%d" % i for i in range(12)])
        self.assertEqual({m["Attributes"]["MessageGroupId"] for m in got}, {"g1"})
        with self.assertRaises(self.sns.exceptions.InvalidParameterException):
            self.sns.publish(TopicArn=topic, Message="x")  # no MessageGroupId

    def test_http_subscription_confirmation_and_notification(self):
        hook = start_hook()
        try:
            topic = self.sns.create_topic(Name="web")["TopicArn"]
            endpoint = "http://127.0.0.1:%d/hook" % hook.server_address[1]
            r = self.sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=endpoint)
            self.assertEqual(r["SubscriptionArn"], "pending confirmation")
            headers, body, _ = hook.received.get(timeout=5)
            conf = json.loads(body)
            self.assertEqual(conf["Type"], "SubscriptionConfirmation")
            self.assertEqual(headers["x-amz-sns-message-type"], "SubscriptionConfirmation")
            self.assertEqual(conf["TopicArn"], topic)
            # Nothing is delivered while pending.
            self.sns.publish(TopicArn=topic, Message="early")
            self.assertEqual(self.sns.get_topic_attributes(TopicArn=topic)["Attributes"][
                "SubscriptionsPending"], "1")
            urllib.request.urlopen(conf["SubscribeURL"]).read()
            subs = self.sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
            self.assertNotEqual(subs[0]["SubscriptionArn"], "PendingConfirmation")
            self.sns.publish(TopicArn=topic, Message="hello web", Subject="s")
            headers, body, _ = hook.received.get(timeout=5)
            note = json.loads(body)
            self.assertEqual(note["Message"], "hello web")
            self.assertEqual(headers["x-amz-sns-message-type"], "Notification")
            self.assertEqual(headers["x-amz-sns-message-id"], note["MessageId"])
            self.assertEqual(headers["x-amz-sns-topic-arn"], topic)
            self.assertEqual(headers["x-amz-sns-subscription-arn"], subs[0]["SubscriptionArn"])
            self.assertTrue(hook.received.empty())
        finally:
            hook.shutdown()

    def test_http_retry_per_delivery_policy_then_confirm_subscription_api(self):
        hook = start_hook(statuses=[200, 500])  # confirmation ok, first notification fails
        try:
            policy = {"http": {"defaultHealthyRetryPolicy": {
                "numRetries": 2, "minDelayTarget": 1, "maxDelayTarget": 1}}}
            topic = self.sns.create_topic(Name="retry", Attributes={
                "DeliveryPolicy": json.dumps(policy)})["TopicArn"]
            endpoint = "http://127.0.0.1:%d/" % hook.server_address[1]
            self.sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=endpoint)
            _, body, _ = hook.received.get(timeout=5)
            token = json.loads(body)["Token"]
            arn = self.sns.confirm_subscription(TopicArn=topic, Token=token)["SubscriptionArn"]
            self.assertTrue(arn.startswith(topic + ":"))
            self.sns.publish(TopicArn=topic, Message="again")
            _, first, status = hook.received.get(timeout=5)
            self.assertEqual(status, 500)
            t0 = time.time()
            _, second, status = hook.received.get(timeout=5)
            self.assertEqual(status, 200)
            self.assertGreaterEqual(time.time() - t0, 0.8)
            self.assertEqual(json.loads(first)["MessageId"], json.loads(second)["MessageId"])
        finally:
            hook.shutdown()

    def test_undeliverable_messages_go_to_the_subscription_dlq(self):
        topic = self.sns.create_topic(Name="dlq-topic")["TopicArn"]
        dlq_url, dlq_arn = self.queue("sub-dlq")
        gone_url, gone_arn = self.queue("gone-q")
        redrive = json.dumps({"deadLetterTargetArn": dlq_arn})
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=gone_arn,
                           Attributes={"RedrivePolicy": redrive})
        self.sqs.delete_queue(QueueUrl=gone_url)
        mid = self.sns.publish(TopicArn=topic, Message="lost?")["MessageId"]
        got = self.receive_all(dlq_url, 1)
        self.assertEqual(json.loads(got[0]["Body"])["MessageId"], mid)

    def test_http_endpoint_down_goes_to_dlq_after_retries(self):
        dlq_url, dlq_arn = self.queue("http-dlq")
        policy = {"http": {"defaultHealthyRetryPolicy": {
            "numRetries": 1, "minDelayTarget": 1, "maxDelayTarget": 1}}}
        topic = self.sns.create_topic(Name="down", Attributes={
            "DeliveryPolicy": json.dumps(policy)})["TopicArn"]
        hook = start_hook()
        endpoint = "http://127.0.0.1:%d/" % hook.server_address[1]
        sub = self.sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=endpoint,
                                 ReturnSubscriptionArn=True,
                                 Attributes={"RawMessageDelivery": "true",
                                             "RedrivePolicy": json.dumps(
                                                 {"deadLetterTargetArn": dlq_arn})})[
            "SubscriptionArn"]
        self.assertEqual(self.sns.get_subscription_attributes(SubscriptionArn=sub)[
            "Attributes"]["PendingConfirmation"], "true")
        _, body, _ = hook.received.get(timeout=5)
        self.sns.confirm_subscription(TopicArn=topic, Token=json.loads(body)["Token"])
        hook.shutdown()
        hook.server_close()
        self.sns.publish(TopicArn=topic, Message="nobody home")
        got = self.receive_all(dlq_url, 1)
        self.assertEqual(got[0]["Body"], "nobody home")

    def test_publish_batch_partial_failure(self):
        topic = self.sns.create_topic(Name="batch")["TopicArn"]
        url, arn = self.queue("batch-q")
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                           Attributes={"RawMessageDelivery": "true"})
        r = self.sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": "ok1", "Message": "one"},
            {"Id": "bad", "Message": "x", "MessageAttributes": {
                "n": {"DataType": "Number", "StringValue": "not-a-number"}}},
            {"Id": "ok2", "Message": "two"},
        ])
        self.assertEqual(sorted(s["Id"] for s in r["Successful"]), ["ok1", "ok2"])
        self.assertEqual(len(r["Failed"]), 1)
        self.assertEqual(r["Failed"][0]["Id"], "bad")
        self.assertTrue(r["Failed"][0]["SenderFault"])
        self.assertEqual(r["Failed"][0]["Code"], "ParameterValueInvalid")
        self.assertEqual(sorted(m["Body"] for m in self.receive_all(url, 2)), ["one", "two"])
        with self.assertRaises(self.sns.exceptions.BatchEntryIdsNotDistinctException):
            self.sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
                {"Id": "a", "Message": "1"}, {"Id": "a", "Message": "2"}])
        with self.assertRaises(self.sns.exceptions.TooManyEntriesInBatchRequestException):
            self.sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
                {"Id": "e%d" % i, "Message": "m"} for i in range(11)])
        self.assertEqual(self.receive_all(url, 0), [])

    def test_error_shapes(self):
        missing = "arn:aws:sns:us-east-1:000000000000:nope"
        with self.assertRaises(self.sns.exceptions.NotFoundException) as ctx:
            self.sns.publish(TopicArn=missing, Message="x")
        err = ctx.exception.response
        self.assertEqual(err["Error"]["Code"], "NotFound")
        self.assertEqual(err["Error"]["Type"], "Sender")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 404)
        with self.assertRaises(self.sns.exceptions.InvalidParameterException) as ctx:
            self.sns.create_topic(Name="bad name")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        topic = self.sns.create_topic(Name="errs")["TopicArn"]
        _, arn = self.queue("errs-q")
        with self.assertRaises(self.sns.exceptions.InvalidParameterException):
            self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                               Attributes={"FilterPolicy": '{"a": "not-a-list"}'})
        with self.assertRaises(self.sns.exceptions.InvalidParameterException):
            self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                               Attributes={"FilterPolicy": "{broken"})
        self.assertEqual(self.sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"], [])
        with self.assertRaises(self.sns.exceptions.InvalidParameterException):
            self.sns.publish(TopicArn=topic, Message="x" * (256 * 1024 + 1))
        with self.assertRaises(self.sns.exceptions.InvalidParameterException):
            self.sns.publish(TopicArn=topic, Message='{"sqs": "x"}', MessageStructure="json")
        with self.assertRaises(self.sns.exceptions.NotFoundException):
            self.sns.get_subscription_attributes(SubscriptionArn=topic + ":0000")

    def test_cli_round_trip(self):
        t = self.server.aws("sns", "create-topic", "--name", "cli-topic",
                            "--attributes", "DisplayName=Cli", "--tags", "Key=k,Value=v")["TopicArn"]
        url, arn = self.queue("cli-q")
        self.server.aws("sns", "subscribe", "--topic-arn", t, "--protocol", "sqs",
                        "--notification-endpoint", arn)
        out = self.server.aws("sns", "publish", "--topic-arn", t, "--message", "from cli",
                              "--message-attributes",
                              '{"k":{"DataType":"String","StringValue":"v"}}')
        self.assertIn("MessageId", out)
        body = json.loads(self.receive_all(url, 1)[0]["Body"])
        self.assertEqual(body["Message"], "from cli")
        attrs = self.server.aws("sns", "get-topic-attributes", "--topic-arn", t)["Attributes"]
        self.assertEqual(attrs["DisplayName"], "Cli")
        self.assertEqual(attrs["SubscriptionsConfirmed"], "1")
        tags = self.server.aws("sns", "list-tags-for-resource", "--resource-arn", t)["Tags"]
        self.assertEqual(tags, [{"Key": "k", "Value": "v"}])
        topics = [x["TopicArn"] for x in self.server.aws("sns", "list-topics")["Topics"]]
        self.assertIn(t, topics)
        r = self.server.aws("sns", "publish", "--topic-arn", t + "-missing", "--message", "x",
                            check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("NotFound", r.stderr)
        self.server.aws("sns", "delete-topic", "--topic-arn", t)
        topics = [x["TopicArn"] for x in self.server.aws("sns", "list-topics")["Topics"]]
        self.assertNotIn(t, topics)

    def test_list_topics_paging(self):
        made = {self.sns.create_topic(Name="page-%03d" % i)["TopicArn"] for i in range(120)}
        seen = set()
        for page in self.sns.get_paginator("list_topics").paginate():
            self.assertLessEqual(len(page["Topics"]), 100)
            seen.update(t["TopicArn"] for t in page["Topics"])
        self.assertTrue(made <= seen)


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def openssl_verify(cert_pem, text, sig_b64, digest):
    with tempfile.TemporaryDirectory() as d:
        paths = {n: os.path.join(d, n) for n in ("cert.pem", "pub.pem", "sig", "data")}
        open(paths["cert.pem"], "wb").write(cert_pem)
        open(paths["sig"], "wb").write(base64.b64decode(sig_b64))
        open(paths["data"], "wb").write(text.encode())
        subprocess.run(["openssl", "x509", "-in", paths["cert.pem"], "-pubkey", "-noout",
                        "-out", paths["pub.pem"]], check=True, capture_output=True)
        r = subprocess.run(["openssl", "dgst", "-" + digest, "-verify", paths["pub.pem"],
                            "-signature", paths["sig"], paths["data"]], capture_output=True)
        return r.returncode == 0


if __name__ == "__main__":
    main()
