"""SQS end to end: FIFO, batches, tags, purge, move tasks, the query protocol through raw
HTTP, the AWS CLI, and durability across kill -9."""
import hashlib
import json
import os
import re
import urllib.parse
import unittest
import urllib.request

from harness import Server, ServerTestCase, TempDir, main


class SqsFifoTest(ServerTestCase):
    def setUp(self):
        self.server.reset()
        self.sqs = self.server.client("sqs")

    def fifo(self, name="f.fifo", **attrs):
        a = {"FifoQueue": "true"}
        a.update(attrs)
        return self.sqs.create_queue(QueueName=name, Attributes=a)["QueueUrl"]

    def test_order_within_group_and_one_group_in_flight(self):
        url = self.fifo()
        seqs = []
        for i in range(3):
            for g in ("a", "b"):
                r = self.sqs.send_message(QueueUrl=url, MessageBody="%s%d" % (g, i),
                                          MessageGroupId=g, MessageDeduplicationId="%s%d" % (g, i))
                self.assertEqual(len(r["SequenceNumber"]), 20)
                seqs.append(int(r["SequenceNumber"]))
        self.assertEqual(seqs, sorted(seqs))
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                       AttributeNames=["All"])["Messages"]
        bodies = [m["Body"] for m in got]
        self.assertEqual([b for b in bodies if b[0] == "a"], ["a0", "a1", "a2"])
        self.assertEqual([b for b in bodies if b[0] == "b"], ["b0", "b1", "b2"])
        self.assertEqual(got[0]["Attributes"]["MessageGroupId"], bodies[0][0])
        self.assertIn("SequenceNumber", got[0]["Attributes"])
        # Both groups are in flight: nothing more until they are deleted or become visible.
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))

    def test_group_blocked_while_in_flight(self):
        url = self.fifo()
        for i in range(2):
            self.sqs.send_message(QueueUrl=url, MessageBody="a%d" % i, MessageGroupId="a",
                                  MessageDeduplicationId="a%d" % i)
        self.sqs.send_message(QueueUrl=url, MessageBody="b0", MessageGroupId="b",
                              MessageDeduplicationId="b0")
        first = self.sqs.receive_message(QueueUrl=url)["Messages"][0]
        self.assertEqual(first["Body"], "a0")
        second = self.sqs.receive_message(QueueUrl=url)["Messages"][0]
        self.assertEqual(second["Body"], "b0")  # group a is blocked behind a0
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "a1")

    def test_dedup_by_id_and_by_content(self):
        url = self.fifo()
        r1 = self.sqs.send_message(QueueUrl=url, MessageBody="one", MessageGroupId="g",
                                   MessageDeduplicationId="d1")
        r2 = self.sqs.send_message(QueueUrl=url, MessageBody="two", MessageGroupId="g",
                                   MessageDeduplicationId="d1")
        self.assertEqual(r2["MessageId"], r1["MessageId"])
        self.assertEqual(r2["MD5OfMessageBody"], hashlib.md5(b"two").hexdigest())
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual([m["Body"] for m in got], ["one"])

        cbd = self.fifo("c.fifo", ContentBasedDeduplication="true")
        a = self.sqs.send_message(QueueUrl=cbd, MessageBody="x", MessageGroupId="g")
        b = self.sqs.send_message(QueueUrl=cbd, MessageBody="x", MessageGroupId="g")
        self.assertEqual(a["MessageId"], b["MessageId"])
        m = self.sqs.receive_message(QueueUrl=cbd, AttributeNames=["All"])["Messages"][0]
        self.assertEqual(m["Attributes"]["MessageDeduplicationId"],
                         hashlib.sha256(b"x").hexdigest())

    def test_fifo_rules(self):
        with self.assertRaises(self.sqs.exceptions.ClientError) as ctx:
            self.sqs.create_queue(QueueName="plain.fifo")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidParameterValue")
        url = self.fifo()
        with self.assertRaises(self.sqs.exceptions.ClientError) as ctx:
            self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "MissingParameter")
        with self.assertRaises(self.sqs.exceptions.ClientError) as ctx:
            self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidParameterValue")
        std = self.sqs.create_queue(QueueName="std")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=std, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        with self.assertRaises(self.sqs.exceptions.ClientError) as ctx:
            self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": arn, "maxReceiveCount": 2})})
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidAttributeValue")

    def test_receive_request_attempt_id_returns_same_messages(self):
        url = self.fifo()
        self.sqs.send_message(QueueUrl=url, MessageBody="m", MessageGroupId="g",
                              MessageDeduplicationId="1")
        a = self.sqs.receive_message(QueueUrl=url, ReceiveRequestAttemptId="try1")["Messages"]
        b = self.sqs.receive_message(QueueUrl=url, ReceiveRequestAttemptId="try1")["Messages"]
        self.assertEqual(a[0]["ReceiptHandle"], b[0]["ReceiptHandle"])
        self.assertNotIn("Messages",
                         self.sqs.receive_message(QueueUrl=url, ReceiveRequestAttemptId="try2"))


class SqsBatchAndAdminTest(ServerTestCase):
    def setUp(self):
        self.server.reset()
        self.sqs = self.server.client("sqs")
        self.url = self.sqs.create_queue(QueueName="batch")["QueueUrl"]

    def test_batch_partial_failures(self):
        r = self.sqs.send_message_batch(QueueUrl=self.url, Entries=[
            {"Id": "ok1", "MessageBody": "one"},
            {"Id": "bad", "MessageBody": "bad \x00"},
            {"Id": "ok2", "MessageBody": "two", "DelaySeconds": 0},
        ])
        self.assertEqual(sorted(e["Id"] for e in r["Successful"]), ["ok1", "ok2"])
        self.assertEqual([e["Id"] for e in r["Failed"]], ["bad"])
        self.assertTrue(r["Failed"][0]["SenderFault"])
        self.assertEqual(r["Failed"][0]["Code"], "InvalidMessageContents")
        for e in r["Successful"]:
            body = "one" if e["Id"] == "ok1" else "two"
            self.assertEqual(e["MD5OfMessageBody"], hashlib.md5(body.encode()).hexdigest())
        got = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual(sorted(m["Body"] for m in got), ["one", "two"])
        d = self.sqs.delete_message_batch(QueueUrl=self.url, Entries=[
            {"Id": "a", "ReceiptHandle": got[0]["ReceiptHandle"]},
            {"Id": "b", "ReceiptHandle": "not-a-handle"}])
        self.assertEqual([e["Id"] for e in d["Successful"]], ["a"])
        self.assertEqual(d["Failed"][0]["Code"], "ReceiptHandleIsInvalid")
        c = self.sqs.change_message_visibility_batch(QueueUrl=self.url, Entries=[
            {"Id": "x", "ReceiptHandle": got[1]["ReceiptHandle"], "VisibilityTimeout": 0}])
        self.assertEqual(c["Failed"], [])
        self.assertEqual(len(self.sqs.receive_message(QueueUrl=self.url)["Messages"]), 1)

    def test_batch_whole_call_errors(self):
        with self.assertRaises(self.sqs.exceptions.BatchEntryIdsNotDistinct):
            self.sqs.send_message_batch(QueueUrl=self.url, Entries=[
                {"Id": "a", "MessageBody": "1"}, {"Id": "a", "MessageBody": "2"}])
        with self.assertRaises(self.sqs.exceptions.TooManyEntriesInBatchRequest):
            self.sqs.send_message_batch(QueueUrl=self.url, Entries=[
                {"Id": "e%d" % i, "MessageBody": "x"} for i in range(11)])
        with self.assertRaises(self.sqs.exceptions.EmptyBatchRequest):
            self.sqs.delete_message_batch(QueueUrl=self.url, Entries=[])
        with self.assertRaises(self.sqs.exceptions.InvalidBatchEntryId):
            self.sqs.send_message_batch(QueueUrl=self.url, Entries=[{"Id": "a b", "MessageBody": "1"}])
        with self.assertRaises(self.sqs.exceptions.BatchRequestTooLong):
            self.sqs.send_message_batch(QueueUrl=self.url, Entries=[
                {"Id": "e%d" % i, "MessageBody": "x" * 300000} for i in range(4)])
        attrs = self.sqs.get_queue_attributes(QueueUrl=self.url,
                                              AttributeNames=["ApproximateNumberOfMessages"])
        self.assertEqual(attrs["Attributes"]["ApproximateNumberOfMessages"], "0")

    def test_tags_purge_and_delay(self):
        self.sqs.tag_queue(QueueUrl=self.url, Tags={"team": "a", "env": "dev"})
        self.sqs.untag_queue(QueueUrl=self.url, TagKeys=["env"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=self.url)["Tags"], {"team": "a"})
        self.sqs.send_message(QueueUrl=self.url, MessageBody="later", DelaySeconds=60)
        self.sqs.send_message(QueueUrl=self.url, MessageBody="now")
        a = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["All"])["Attributes"]
        self.assertEqual((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesDelayed"]),
                         ("1", "1"))
        self.sqs.purge_queue(QueueUrl=self.url)
        with self.assertRaises(self.sqs.exceptions.PurgeQueueInProgress):
            self.sqs.purge_queue(QueueUrl=self.url)
        a = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["All"])["Attributes"]
        self.assertEqual((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesDelayed"]),
                         ("0", "0"))

    def test_message_move_task_returns_messages_to_source(self):
        dlq = self.sqs.create_queue(QueueName="mdlq")["QueueUrl"]
        arn = lambda u: self.sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        self.sqs.set_queue_attributes(QueueUrl=self.url, Attributes={"RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": arn(dlq), "maxReceiveCount": 1})})
        self.sqs.send_message(QueueUrl=self.url, MessageBody="back")
        self.sqs.receive_message(QueueUrl=self.url, VisibilityTimeout=0)
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=self.url, VisibilityTimeout=0))
        handle = self.sqs.start_message_move_task(SourceArn=arn(dlq))["TaskHandle"]
        self.assertTrue(handle)
        tasks = self.sqs.list_message_move_tasks(SourceArn=arn(dlq))["Results"]
        self.assertEqual(tasks[0]["Status"], "COMPLETED")
        self.assertEqual(tasks[0]["ApproximateNumberOfMessagesMoved"], 1)
        got = self.sqs.receive_message(QueueUrl=self.url)["Messages"]
        self.assertEqual(got[0]["Body"], "back")
        with self.assertRaises(self.sqs.exceptions.ResourceNotFoundException):
            self.sqs.cancel_message_move_task(TaskHandle=handle)


def form_post(endpoint, path, params):
    data = urllib.parse.urlencode(params).encode()
    req = urllib.request.Request(endpoint + path, data=data, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode()


class SqsPermissionTest(ServerTestCase):
    def setUp(self):
        self.server.reset()
        self.sqs = self.server.client("sqs")

    def policy(self, url):
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
        return json.loads(attrs["Attributes"]["Policy"]) if "Policy" in attrs.get("Attributes", {}) else None

    def test_add_and_remove_permission(self):
        url = self.sqs.create_queue(QueueName="perm")["QueueUrl"]
        self.sqs.add_permission(QueueUrl=url, Label="Alice", AWSAccountIds=["111122223333"],
                                Actions=["SendMessage"])
        self.sqs.add_permission(QueueUrl=url, Label="Both", AWSAccountIds=["111122223333", "444455556666"],
                                Actions=["ReceiveMessage", "DeleteMessage"])
        p = self.policy(url)
        self.assertEqual([s["Sid"] for s in p["Statement"]], ["Alice", "Both"])
        alice = p["Statement"][0]
        self.assertEqual(alice["Principal"], {"AWS": "arn:aws:iam::111122223333:root"})
        self.assertEqual(alice["Action"], "SQS:SendMessage")
        self.assertTrue(alice["Resource"].endswith(":perm"))
        self.assertEqual(p["Statement"][1]["Action"], ["SQS:ReceiveMessage", "SQS:DeleteMessage"])
        with self.assertRaises(self.sqs.exceptions.ClientError) as e:
            self.sqs.add_permission(QueueUrl=url, Label="Alice", AWSAccountIds=["111122223333"],
                                    Actions=["SendMessage"])
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidParameterValue")
        with self.assertRaises(self.sqs.exceptions.ClientError) as e:
            self.sqs.add_permission(QueueUrl=url, Label="bad label!", AWSAccountIds=["111122223333"],
                                    Actions=["SendMessage"])
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidParameterValue")
        self.assertEqual(len(self.policy(url)["Statement"]), 2)  # failures changed nothing
        self.sqs.remove_permission(QueueUrl=url, Label="Alice")
        self.assertEqual([s["Sid"] for s in self.policy(url)["Statement"]], ["Both"])
        with self.assertRaises(self.sqs.exceptions.ClientError) as e:
            self.sqs.remove_permission(QueueUrl=url, Label="Alice")
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidParameterValue")
        self.sqs.remove_permission(QueueUrl=url, Label="Both")
        self.assertIsNone(self.policy(url))

    def test_cli_query_protocol(self):
        url = self.sqs.create_queue(QueueName="perm-cli")["QueueUrl"]
        self.server.aws("sqs", "add-permission", "--queue-url", url, "--label", "Cli",
                        "--aws-account-ids", "111122223333", "--actions", "SendMessage", "GetQueueUrl")
        self.assertEqual(self.policy(url)["Statement"][0]["Action"],
                         ["SQS:SendMessage", "SQS:GetQueueUrl"])
        self.server.aws("sqs", "remove-permission", "--queue-url", url, "--label", "Cli")
        self.assertIsNone(self.policy(url))


class SqsQueryProtocolTest(ServerTestCase):
    def test_query_protocol_round_trip(self):
        ep = self.server.endpoint
        st, ct, body = form_post(ep, "/", {
            "Action": "CreateQueue", "Version": "2012-11-05", "QueueName": "legacy",
            "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "45",
            "Tag.1.Key": "k", "Tag.1.Value": "v"})
        self.assertEqual(st, 200, body)
        self.assertEqual(ct, "text/xml")
        self.assertIn("<CreateQueueResult><QueueUrl>%s/000000000000/legacy</QueueUrl>" % ep, body)
        # POSTed to the queue path, without QueueUrl.
        st, _, body = form_post(ep, "/000000000000/legacy", {
            "Action": "SendMessage", "Version": "2012-11-05", "MessageBody": "a\r\nb <&>",
            "MessageAttribute.1.Name": "a", "MessageAttribute.1.Value.DataType": "String",
            "MessageAttribute.1.Value.StringValue": "x"})
        self.assertEqual(st, 200, body)
        self.assertIn("<MD5OfMessageAttributes>a512aac9938034acb0b3c3d965944bf1</MD5OfMessageAttributes>", body)
        self.assertIn("<MD5OfMessageBody>%s</MD5OfMessageBody>" %
                      hashlib.md5(b"a\r\nb <&>").hexdigest(), body)
        st, _, body = form_post(ep, "/", {
            "Action": "ReceiveMessage", "Version": "2012-11-05",
            "QueueUrl": "http://other-host:9/000000000000/legacy",
            "AttributeName.1": "All", "MessageAttributeName.1": "All"})
        self.assertEqual(st, 200, body)
        self.assertIn("<Body>a&#xD;\nb &lt;&amp;&gt;</Body>", body)
        self.assertIn("<MessageAttribute><Name>a</Name><Value>", body)
        self.assertRegex(body, r"<Attribute><Name>SentTimestamp</Name><Value>\d+</Value></Attribute>")
        st, _, body = form_post(ep, "/", {
            "Action": "GetQueueAttributes", "Version": "2012-11-05",
            "QueueUrl": "/000000000000/legacy", "AttributeName.1": "VisibilityTimeout"})
        self.assertIn("<Attribute><Name>VisibilityTimeout</Name><Value>45</Value></Attribute>", body)
        st, ct, body = form_post(ep, "/", {
            "Action": "GetQueueUrl", "Version": "2012-11-05", "QueueName": "missing"})
        self.assertEqual(st, 400)
        self.assertEqual(ct, "text/xml")
        self.assertIn("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>", body)
        self.assertIn("<Type>Sender</Type>", body)
        st, _, body = form_post(ep, "/", {
            "Action": "SendMessageBatch", "Version": "2012-11-05",
            "QueueUrl": ep + "/000000000000/legacy",
            "SendMessageBatchRequestEntry.1.Id": "one",
            "SendMessageBatchRequestEntry.1.MessageBody": "1",
            "SendMessageBatchRequestEntry.2.Id": "two",
            "SendMessageBatchRequestEntry.2.MessageBody": ""})
        self.assertIn("<SendMessageBatchResultEntry><Id>one</Id>", body.replace("\n", ""))
        self.assertIn("<BatchResultErrorEntry>", body)
        st, _, body = form_post(ep, "/", {"Action": "NoSuchThing", "Version": "2012-11-05"})
        self.assertEqual(st, 400)
        self.assertIn("<Code>InvalidAction</Code>", body)

    def test_cli(self):
        out = self.server.aws("sqs", "create-queue", "--queue-name", "cli-q")
        url = out["QueueUrl"]
        self.server.aws("sqs", "send-message", "--queue-url", url, "--message-body", "from cli")
        got = self.server.aws("sqs", "receive-message", "--queue-url", url,
                              "--attribute-names", "All", "--wait-time-seconds", "1")
        self.assertEqual(got["Messages"][0]["Body"], "from cli")
        r = self.server.aws("sqs", "get-queue-url", "--queue-name", "nope", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("NonExistentQueue", r.stderr)


class SqsDurabilityTest(unittest.TestCase):
    def test_messages_survive_kill_9(self):
        with TempDir() as d:
            s = Server(data_dir=d)
            try:
                sqs = s.client("sqs")
                url = sqs.create_queue(QueueName="durable",
                                       Attributes={"VisibilityTimeout": "40"})["QueueUrl"]
                for i in range(20):
                    sqs.send_message(QueueUrl=url, MessageBody="m%d" % i)
                got = sqs.receive_message(QueueUrl=url)["Messages"][0]
                sqs.delete_message(QueueUrl=url, ReceiptHandle=got["ReceiptHandle"])
            finally:
                s.kill9()
            s = Server(data_dir=d)
            try:
                sqs = s.client("sqs")
                url = sqs.get_queue_url(QueueName="durable")["QueueUrl"]
                a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
                self.assertEqual(a["VisibilityTimeout"], "40")
                self.assertEqual(a["ApproximateNumberOfMessages"], "19")
                sqs.close()  # an idle keep-alive connection delays a graceful stop
            finally:
                s.stop()


if __name__ == "__main__":
    main()
