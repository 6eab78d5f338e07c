"""EventBridge end to end with boto3 and the AWS CLI: rules deliver exactly the right events to
SQS targets, Input / InputPath / InputTransformer outputs, disabled rules stay silent, and the
error shapes clients depend on (PROTOCOLS.md §6)."""
import datetime
import json
import uuid

import botocore.exceptions

from harness import ServerTestCase, main

ACCOUNT = "000000000000"


class EventsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.events = cls.server.client("events")
        cls.sqs = cls.server.client("sqs")

    def queue(self, name=None, fifo=False):
        name = name or "q-" + uuid.uuid4().hex[:10]
        attrs = {}
        if fifo:
            name += ".fifo"
            attrs = {"FifoQueue": "true", "ContentBasedDeduplication": "false"}
        url = self.sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
        return url, "arn:aws:sqs:us-east-1:%s:%s" % (ACCOUNT, name)

    def receive_until(self, url, count, timeout_polls=5):
        """Receives until `count` messages arrived (deleting them); returns their bodies."""
        out = []
        for _ in range(timeout_polls):
            r = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                         AttributeNames=["All"])
            for m in r.get("Messages", []):
                out.append(m)
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            if len(out) >= count:
                break
        return out

    def drain_empty(self, url):
        r = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        return r.get("Messages", [])

    def rule(self, name, pattern, targets, bus=None, state="ENABLED"):
        kw = {"EventBusName": bus} if bus else {}
        self.events.put_rule(Name=name, EventPattern=json.dumps(pattern), State=state, **kw)
        r = self.events.put_targets(Rule=name, Targets=targets, **kw)
        self.assertEqual(r["FailedEntryCount"], 0)
        self.assertEqual(r["FailedEntries"], [])

    def test_rule_delivers_exactly_the_matching_events_with_the_exact_envelope(self):
        url, arn = self.queue()
        name = "orders-" + uuid.uuid4().hex[:6]
        self.rule(name, {"source": ["app.orders"], "detail": {"status": ["NEW"],
                                                               "amount": [{"numeric": [">", 10]}]}},
                  [{"Id": "q", "Arn": arn}])
        t = datetime.datetime(2026, 11, 28, 10, 0, 0, tzinfo=datetime.timezone.utc)
        entries = [
            {"Source": "app.orders", "DetailType": "OrderPlaced", "Time": t,
             "Resources": ["arn:aws:s3:::x"], "Detail": json.dumps({"status": "NEW", "amount": 42})},
            {"Source": "app.orders", "DetailType": "OrderPlaced", "Detail": json.dumps({"status": "OLD", "amount": 42})},
            {"Source": "app.orders", "DetailType": "OrderPlaced", "Detail": json.dumps({"status": "NEW", "amount": 5})},
            {"Source": "app.other", "DetailType": "OrderPlaced", "Detail": json.dumps({"status": "NEW", "amount": 42})},
            {"Source": "app.orders", "DetailType": "OrderPlaced", "Detail": json.dumps({"status": "NEW", "amount": 99, "last": True})},
        ]
        r = self.events.put_events(Entries=entries)
        self.assertEqual(r["FailedEntryCount"], 0)
        ids = [e["EventId"] for e in r["Entries"]]
        msgs = self.receive_until(url, 2)
        self.assertEqual(len(msgs), 2)
        bodies = sorted((m["Body"] for m in msgs), key=lambda b: '"last"' in b)
        first = json.loads(bodies[0])
        self.assertEqual(bodies[0], json.dumps({
            "version": "0", "id": ids[0], "detail-type": "OrderPlaced", "source": "app.orders",
            "account": ACCOUNT, "time": "2026-11-28T10:00:00Z", "region": "us-east-1",
            "resources": ["arn:aws:s3:::x"], "detail": {"status": "NEW", "amount": 42}},
            separators=(",", ":")))
        self.assertEqual(list(first.keys()), ["version", "id", "detail-type", "source", "account",
                                              "time", "region", "resources", "detail"])
        last = json.loads(bodies[1])
        self.assertEqual(last["id"], ids[4])
        self.assertEqual(last["resources"], [])
        self.assertEqual(self.drain_empty(url), [])

    def test_input_inputpath_and_transformer(self):
        urls = {}
        targets = []
        for tid in ("const", "path", "xf", "text"):
            url, arn = self.queue()
            urls[tid] = url
            targets.append({"Id": tid, "Arn": arn})
        targets[0]["Input"] = '{"constant": true}'
        targets[1]["InputPath"] = "$.detail.status"
        targets[2]["InputTransformer"] = {
            "InputPathsMap": {"st": "$.detail.status", "id": "$.detail.id", "nope": "$.detail.missing"},
            "InputTemplate": '{"s": <st>, "n": <id>, "m": "order <id> is <st>", "x": <nope>, "r": <aws.events.rule-name>}'}
        targets[3]["InputTransformer"] = {"InputPathsMap": {"st": "$.detail.status", "id": "$.detail.id"},
                                          "InputTemplate": '"order <id> is <st>"'}
        name = "xf-" + uuid.uuid4().hex[:6]
        self.rule(name, {"source": ["app.xf"]}, targets)
        self.events.put_events(Entries=[{"Source": "app.xf", "DetailType": "t",
                                         "Detail": json.dumps({"status": "NEW", "id": 42})}])
        got = {tid: self.receive_until(url, 1)[0]["Body"] for tid, url in urls.items()}
        self.assertEqual(got["const"], '{"constant": true}')
        self.assertEqual(got["path"], '"NEW"')
        self.assertEqual(got["xf"], '{"s": "NEW", "n": 42, "m": "order 42 is NEW", "x": "", "r": "%s"}' % name)
        self.assertEqual(got["text"], '"order 42 is NEW"')

    def test_cli_input_transformer_and_disabled_rule(self):
        url, arn = self.queue()
        off_url, off_arn = self.queue()
        name = "cli-" + uuid.uuid4().hex[:6]
        self.server.aws("events", "put-rule", "--name", name, "--event-pattern",
                        json.dumps({"source": ["cli.app"]}))
        self.server.aws("events", "put-targets", "--rule", name, "--targets", json.dumps([{
            "Id": "t1", "Arn": arn, "InputTransformer": {
                "InputPathsMap": {"k": "$.detail.key"}, "InputTemplate": '{"key": <k>}'}}]))
        # Sorts before `name`: any delivery it made would be queued (and arrive) first.
        off = "a" + name
        self.server.aws("events", "put-rule", "--name", off, "--event-pattern",
                        json.dumps({"source": ["cli.app"]}), "--state", "DISABLED")
        self.server.aws("events", "put-targets", "--rule", off, "--targets",
                        json.dumps([{"Id": "t1", "Arn": off_arn}]))
        out = self.server.aws("events", "put-events", "--entries", json.dumps([
            {"Source": "cli.app", "DetailType": "t", "Detail": json.dumps({"key": "v1"})}]))
        self.assertEqual(out["FailedEntryCount"], 0)
        msgs = self.receive_until(url, 1)
        self.assertEqual([m["Body"] for m in msgs], ['{"key": "v1"}'])
        self.assertEqual(self.drain_empty(off_url), [])  # the disabled rule delivered nothing
        desc = self.server.aws("events", "describe-rule", "--name", off)
        self.assertEqual(desc["State"], "DISABLED")
        # Enabling it makes it deliver.
        self.server.aws("events", "enable-rule", "--name", off)
        self.server.aws("events", "put-events", "--entries", json.dumps([
            {"Source": "cli.app", "DetailType": "t", "Detail": "{}"}]))
        self.assertEqual(len(self.receive_until(off_url, 1)), 1)

    def test_custom_bus_and_fifo_target(self):
        bus = "bus-" + uuid.uuid4().hex[:6]
        bus_arn = self.events.create_event_bus(Name=bus)["EventBusArn"]
        self.assertEqual(bus_arn, "arn:aws:events:us-east-1:%s:event-bus/%s" % (ACCOUNT, bus))
        url, arn = self.queue(fifo=True)
        rule_arn = self.events.put_rule(Name="r", EventBusName=bus_arn,
                                        EventPattern=json.dumps({"detail-type": [{"prefix": "Ord"}]}))["RuleArn"]
        self.assertEqual(rule_arn, "arn:aws:events:us-east-1:%s:rule/%s/r" % (ACCOUNT, bus))
        self.events.put_targets(Rule="r", EventBusName=bus, Targets=[
            {"Id": "f", "Arn": arn, "SqsParameters": {"MessageGroupId": "g1"}}])
        entries = [{"Source": "a", "DetailType": "Order%d" % i, "Detail": json.dumps({"i": i}),
                    "EventBusName": bus} for i in range(5)]
        # The default bus has no such rule: its event must not arrive.
        entries.append({"Source": "a", "DetailType": "Order9", "Detail": "{}"})
        self.assertEqual(self.events.put_events(Entries=entries)["FailedEntryCount"], 0)
        msgs = self.receive_until(url, 5)
        self.assertEqual([json.loads(m["Body"])["detail"]["i"] for m in msgs], [0, 1, 2, 3, 4])
        self.assertEqual(msgs[0]["Attributes"]["MessageGroupId"], "g1")
        self.assertEqual(self.events.list_rule_names_by_target(TargetArn=arn, EventBusName=bus)["RuleNames"], ["r"])
        names = [b["Name"] for b in self.events.list_event_buses()["EventBuses"]]
        self.assertIn("default", names)
        self.assertIn(bus, names)

    def test_error_shapes(self):
        with self.assertRaises(self.events.exceptions.ResourceNotFoundException) as c:
            self.events.describe_rule(Name="no-such-rule")
        self.assertEqual(c.exception.response["Error"]["Message"],
                         "Rule no-such-rule does not exist on EventBus default.")
        self.assertEqual(c.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        with self.assertRaises(self.events.exceptions.ResourceNotFoundException):
            self.events.put_rule(Name="r", EventBusName="no-such-bus", EventPattern='{"source":["a"]}')
        with self.assertRaises(self.events.exceptions.InvalidEventPatternException) as c:
            self.events.put_rule(Name="bad", EventPattern='{"source":"x"}')
        self.assertTrue(c.exception.response["Error"]["Message"].startswith(
            "Event pattern is not valid. Reason: "))
        self.assertFalse(any(r["Name"] == "bad" for r in self.events.list_rules()["Rules"]))
        with self.assertRaises(self.events.exceptions.ResourceAlreadyExistsException):
            name = "dup-" + uuid.uuid4().hex[:6]
            self.events.create_event_bus(Name=name)
            self.events.create_event_bus(Name=name)
        with self.assertRaises(self.events.exceptions.LimitExceededException):
            self.events.put_rule(Name="six", EventPattern='{"source":["a"]}')
            self.events.put_targets(Rule="six", Targets=[
                {"Id": "t%d" % i, "Arn": "arn:aws:sqs:us-east-1:%s:q%d" % (ACCOUNT, i)} for i in range(6)])
        self.assertEqual(self.events.list_targets_by_rule(Rule="six")["Targets"], [])
        # >10 entries: botocore's own validation rejects it client-side, so send it raw-ish
        # through a client with parameter validation off.
        raw = self.server.client("events", config=botocore.config.Config(parameter_validation=False))
        with self.assertRaises(botocore.exceptions.ClientError) as c:
            raw.put_events(Entries=[{"Source": "a", "DetailType": "t", "Detail": "{}"}] * 11)
        self.assertEqual(c.exception.response["Error"]["Code"], "ValidationException")
        self.assertEqual(c.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        with self.assertRaises(botocore.exceptions.ClientError) as c:
            self.events.delete_event_bus(Name="default")
        self.assertEqual(c.exception.response["Error"]["Code"], "ValidationException")
        r = self.events.put_events(Entries=[{"Source": "a", "DetailType": "t", "Detail": "not json"},
                                            {"Source": "aws.s3", "DetailType": "t", "Detail": "{}"}])
        self.assertEqual(r["FailedEntryCount"], 2)
        self.assertEqual(r["Entries"][0]["ErrorCode"], "MalformedDetail")
        self.assertEqual(r["Entries"][1]["ErrorCode"], "NotAuthorizedForSourceException")

    def test_cli_error_exit_codes(self):
        r = self.server.aws("events", "put-rule", "--name", "x", "--event-pattern",
                            '{"source":[{"EXISTS":true}]}', check=False)
        self.assertNotEqual(r.returncode, 0)  # CLI v1: 255, v2: 254
        self.assertIn("InvalidEventPatternException", r.stderr)
        self.assertIn("Unrecognized match type EXISTS", r.stderr)

    def test_test_event_pattern(self):
        event = json.dumps({"id": "1", "account": ACCOUNT, "source": "app", "time": "2026-11-28T10:00:00Z",
                            "region": "us-east-1", "resources": [], "detail-type": "t",
                            "detail": {"ip": "10.0.0.7", "path": "a/lib/x.png"}})
        ok = self.events.test_event_pattern(
            EventPattern=json.dumps({"detail": {"ip": [{"cidr": "10.0.0.0/24"}],
                                                "path": [{"wildcard": "*/lib/*.png"}]}}), Event=event)
        self.assertIs(ok["Result"], True)
        no = self.events.test_event_pattern(EventPattern=json.dumps({"source": ["other"]}), Event=event)
        self.assertIs(no["Result"], False)
        with self.assertRaises(botocore.exceptions.ClientError) as c:
            self.events.test_event_pattern(EventPattern='{"source":["a"]}', Event='{"source":"a"}')
        self.assertEqual(c.exception.response["Error"]["Code"], "ValidationException")


if __name__ == "__main__":
    main()
