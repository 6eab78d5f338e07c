"""SQS end to end with boto3 (JSON 1.0 protocol): queues, messages, long polling, redrive."""
import hashlib
import struct
import threading
import time

from harness import ServerTestCase, main


def attributes_md5(attrs):
    """The SDKs' algorithm (PROTOCOLS.md 2.4), written independently of the server's."""
    buf = b""
    for name in sorted(attrs):
        v = attrs[name]
        t = v["DataType"]
        buf += struct.pack(">I", len(name.encode())) + name.encode()
        buf += struct.pack(">I", len(t.encode())) + t.encode()
        if t.startswith("Binary"):
            val = v["BinaryValue"]
            buf += b"\x02" + struct.pack(">I", len(val)) + val
        else:
            val = v["StringValue"].encode()
            buf += b"\x01" + struct.pack(">I", len(val)) + val
    return hashlib.md5(buf).hexdigest()


class SqsBasicsTest(ServerTestCase):
    def setUp(self):
        self.server.reset()
        self.sqs = self.server.client("sqs")

    def test_create_get_list_delete_queue(self):
        url = self.sqs.create_queue(QueueName="orders")["QueueUrl"]
        self.assertEqual(url, self.server.endpoint + "/000000000000/orders")
        # Same name, same attributes: same URL. Different attributes: QueueNameExists.
        self.assertEqual(self.sqs.create_queue(QueueName="orders")["QueueUrl"], url)
        with self.assertRaises(self.sqs.exceptions.QueueNameExists) as ctx:
            self.sqs.create_queue(QueueName="orders", Attributes={"VisibilityTimeout": "5"})
        self.assertEqual(ctx.exception.response["Error"]["Code"], "QueueAlreadyExists")
        self.assertEqual(self.sqs.get_queue_url(QueueName="orders")["QueueUrl"], url)
        self.sqs.create_queue(QueueName="other")
        self.assertEqual(self.sqs.list_queues(QueueNamePrefix="ord")["QueueUrls"], [url])
        self.sqs.delete_queue(QueueUrl=url)
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist) as ctx:
            self.sqs.get_queue_url(QueueName="orders")
        err = ctx.exception.response
        self.assertEqual(err["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_list_queues_pagination(self):
        for i in range(5):
            self.sqs.create_queue(QueueName="p%d" % i)
        page = self.sqs.list_queues(MaxResults=2)
        self.assertEqual(len(page["QueueUrls"]), 2)
        names = [u.rsplit("/", 1)[1] for u in page["QueueUrls"]]
        while "NextToken" in page:
            page = self.sqs.list_queues(MaxResults=2, NextToken=page["NextToken"])
            names += [u.rsplit("/", 1)[1] for u in page["QueueUrls"]]
        self.assertEqual(names, ["p0", "p1", "p2", "p3", "p4"])

    def test_send_receive_delete_with_md5s(self):
        url = self.sqs.create_queue(QueueName="md5")["QueueUrl"]
        attrs = {"a": {"DataType": "String", "StringValue": "x"}}
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="hello", MessageAttributes=attrs)
        self.assertEqual(sent["MD5OfMessageBody"], hashlib.md5(b"hello").hexdigest())
        self.assertEqual(sent["MD5OfMessageAttributes"], "a512aac9938034acb0b3c3d965944bf1")
        got = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"],
                                       AttributeNames=["All"])["Messages"]
        self.assertEqual(len(got), 1)
        m = got[0]
        self.assertEqual(m["Body"], "hello")
        self.assertEqual(m["MessageId"], sent["MessageId"])
        self.assertEqual(m["MD5OfBody"], sent["MD5OfMessageBody"])
        self.assertEqual(m["MD5OfMessageAttributes"], "a512aac9938034acb0b3c3d965944bf1")
        self.assertEqual(m["MessageAttributes"], {"a": {"StringValue": "x", "DataType": "String"}})
        self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], "1")
        self.assertIn("SentTimestamp", m["Attributes"])
        # In flight: nothing else to receive.
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "0")
        self.assertEqual(attrs["ApproximateNumberOfMessagesNotVisible"], "0")

    def test_md5_of_mixed_and_system_attributes(self):
        url = self.sqs.create_queue(QueueName="md5mix")["QueueUrl"]
        attrs = {"zeta": {"DataType": "Number.float", "StringValue": "3.14"},
                 "alpha": {"DataType": "Binary.gz", "BinaryValue": b"\xff\x00"},
                 "mid": {"DataType": "String", "StringValue": "h\u00e9"}}
        trace = {"AWSTraceHeader": {"DataType": "String",
                                    "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}}
        r = self.sqs.send_message(QueueUrl=url, MessageBody="m", MessageAttributes=attrs,
                                  MessageSystemAttributes=trace)
        self.assertEqual(r["MD5OfMessageAttributes"], attributes_md5(attrs))
        self.assertEqual(r["MD5OfMessageSystemAttributes"], attributes_md5(trace))
        m = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["mid", "zeta"],
                                     MessageSystemAttributeNames=["AWSTraceHeader"])["Messages"][0]
        self.assertEqual(m["MD5OfMessageAttributes"],
                         attributes_md5({k: attrs[k] for k in ("mid", "zeta")}))
        self.assertEqual(m["Attributes"]["AWSTraceHeader"], trace["AWSTraceHeader"]["StringValue"])

    def test_attribute_name_filtering(self):
        url = self.sqs.create_queue(QueueName="filter")["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="b", MessageAttributes={
            "order.id": {"DataType": "Number", "StringValue": "42"},
            "order.kind": {"DataType": "String", "StringValue": "new"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
        m = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["order.*"],
                                     MessageSystemAttributeNames=["SentTimestamp"],
                                     VisibilityTimeout=0)["Messages"][0]
        self.assertEqual(sorted(m["MessageAttributes"]), ["order.id", "order.kind"])
        self.assertEqual(list(m["Attributes"]), ["SentTimestamp"])
        m = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["blob"])["Messages"][0]
        self.assertEqual(m["MessageAttributes"]["blob"]["BinaryValue"], b"\x00\x01")
        self.assertNotIn("Attributes", m)

    def test_long_poll_woken_by_send_within_50ms(self):
        url = self.sqs.create_queue(QueueName="poll")["QueueUrl"]
        sender = self.server.client("sqs")
        sender.list_queues()  # warm the sender's connection
        result = {}

        def poll():
            r = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10)
            result["at"] = time.monotonic()
            result["r"] = r

        t = threading.Thread(target=poll)
        t.start()
        time.sleep(0.3)
        sender.send_message(QueueUrl=url, MessageBody="wake")
        sent_at = time.monotonic()  # the send is acknowledged
        t.join(5)
        self.assertEqual(result["r"]["Messages"][0]["Body"], "wake")
        self.assertLess(result["at"] - sent_at, 0.05)

    def test_long_poll_times_out_empty(self):
        url = self.sqs.create_queue(QueueName="empty")["QueueUrl"]
        t0 = time.monotonic()
        r = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)
        self.assertNotIn("Messages", r)
        self.assertGreaterEqual(time.monotonic() - t0, 0.95)

    def test_visibility_expiry_and_change_visibility(self):
        url = self.sqs.create_queue(QueueName="vis")["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="v")
        m = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=1)["Messages"][0]
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        # A long poll returns once the visibility timeout expires.
        m2 = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5)["Messages"][0]
        self.assertEqual(m2["MessageId"], m["MessageId"])
        self.assertNotEqual(m2["ReceiptHandle"], m["ReceiptHandle"])
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m2["ReceiptHandle"],
                                           VisibilityTimeout=0)
        m3 = self.sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(m3["Messages"][0]["Attributes"]["ApproximateReceiveCount"], "3")
        with self.assertRaises(self.sqs.exceptions.ReceiptHandleIsInvalid):
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage")

    def test_redrive_to_dlq_after_three_receives(self):
        dlq = self.sqs.create_queue(QueueName="dlq")["QueueUrl"]
        dlq_arn = self.sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        policy = '{"deadLetterTargetArn":"%s","maxReceiveCount":"3"}' % dlq_arn
        src = self.sqs.create_queue(QueueName="src", Attributes={"RedrivePolicy": policy})["QueueUrl"]
        sent = self.sqs.send_message(QueueUrl=src, MessageBody="poison", MessageAttributes={
            "k": {"DataType": "String", "StringValue": "v"}})
        for i in range(3):
            got = self.sqs.receive_message(QueueUrl=src, VisibilityTimeout=0)["Messages"]
            self.assertEqual(got[0]["Body"], "poison")
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=src))
        got = self.sqs.receive_message(QueueUrl=dlq, MessageAttributeNames=["All"],
                                       AttributeNames=["All"])["Messages"][0]
        self.assertEqual(got["MessageId"], sent["MessageId"])
        self.assertEqual(got["MessageAttributes"]["k"]["StringValue"], "v")
        self.assertEqual(got["Attributes"]["DeadLetterQueueSourceArn"],
                         dlq_arn.replace(":dlq", ":src"))
        self.assertEqual(
            self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"], [src])
        attrs = self.sqs.get_queue_attributes(QueueUrl=src, AttributeNames=["RedrivePolicy"])
        self.assertEqual(attrs["Attributes"]["RedrivePolicy"],
                         '{"deadLetterTargetArn":"%s","maxReceiveCount":3}' % dlq_arn)

    def test_bad_input_is_a_4xx_and_changes_nothing(self):
        url = self.sqs.create_queue(QueueName="bad")["QueueUrl"]
        with self.assertRaises(self.sqs.exceptions.ClientError) as ctx:
            self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "99999"})
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidAttributeValue")
        with self.assertRaises(self.sqs.exceptions.InvalidAttributeName):
            self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Nope"])
        with self.assertRaises(self.sqs.exceptions.InvalidMessageContents):
            self.sqs.send_message(QueueUrl=url, MessageBody="bad \x01 char")
        with self.assertRaises(self.sqs.exceptions.ClientError) as ctx:
            self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11)
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        with self.assertRaises(self.sqs.exceptions.ClientError) as ctx:
            self.sqs.send_message(QueueUrl=url, MessageBody="x" * (1024 * 1024 + 1))
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidParameterValue")
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["VisibilityTimeout"], "30")
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "0")

    def test_queue_url_from_another_host_resolves(self):
        self.sqs.create_queue(QueueName="elsewhere")
        foreign = "https://sqs.eu-west-9.amazonaws.com:1234/000000000000/elsewhere"
        self.sqs.send_message(QueueUrl=foreign, MessageBody="x")
        url = self.sqs.get_queue_url(QueueName="elsewhere")["QueueUrl"]
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "x")


if __name__ == "__main__":
    main()
