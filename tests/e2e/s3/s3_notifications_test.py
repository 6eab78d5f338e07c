"""S3 event notifications delivered to SQS and to EventBridge's default bus, checked field by
field (PROTOCOLS.md §4.4, §6.5)."""
import json
import time
import urllib.parse

from botocore.exceptions import ClientError

from harness import ServerTestCase, main


class S3NotificationTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3 = cls.server.client("s3")
        cls.sqs = cls.server.client("sqs")
        cls.events = cls.server.client("events")
        cls.sns = cls.server.client("sns")

    @classmethod
    def tearDownClass(cls):
        for c in (cls.s3, cls.sqs, cls.events, cls.sns):
            c.close()
        super().tearDownClass()

    def receive(self, url, n, wait=2):
        out = []
        deadline = time.time() + 10
        while len(out) < n and time.time() < deadline:
            r = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait)
            for m in r.get("Messages", []):
                out.append(json.loads(m["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return out

    def test_queue_configuration_test_event_filters_and_records(self):
        self.s3.create_bucket(Bucket="ntf-q")
        url = self.sqs.create_queue(QueueName="ntf-q")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.s3.put_bucket_notification_configuration(Bucket="ntf-q", NotificationConfiguration={
            "QueueConfigurations": [{
                "Id": "n1", "QueueArn": arn, "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "ev/"},
                                                   {"Name": "suffix", "Value": ".txt"}]}}}]})
        cfg = self.s3.get_bucket_notification_configuration(Bucket="ntf-q")
        qc = cfg["QueueConfigurations"][0]
        self.assertEqual(qc["Id"], "n1")
        self.assertEqual(qc["QueueArn"], arn)
        self.assertEqual(sorted(r["Name"] for r in qc["Filter"]["Key"]["FilterRules"]), ["Prefix", "Suffix"])
        test = self.receive(url, 1)[0]
        self.assertEqual(test["Event"], "s3:TestEvent")
        self.assertEqual(test["Service"], "Amazon S3")
        self.assertEqual(test["Bucket"], "ntf-q")

        put = self.s3.put_object(Bucket="ntf-q", Key="ev/a b+c.txt", Body=b"abc")
        self.s3.put_object(Bucket="ntf-q", Key="other/skip.txt", Body=b"x")  # prefix filter
        self.s3.put_object(Bucket="ntf-q", Key="ev/skip.bin", Body=b"x")     # suffix filter
        self.s3.put_object(Bucket="ntf-q", Key="ev/a b+c.txt", Body=b"abcd")
        self.s3.delete_object(Bucket="ntf-q", Key="ev/a b+c.txt")
        msgs = self.receive(url, 3)
        self.assertEqual(len(msgs), 3)
        recs = [m["Records"][0] for m in msgs]
        created = recs[0]
        self.assertEqual(created["eventVersion"], "2.1")
        self.assertEqual(created["eventSource"], "aws:s3")
        self.assertEqual(created["awsRegion"], "us-east-1")
        self.assertEqual(created["eventName"], "ObjectCreated:Put")
        self.assertRegex(created["eventTime"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(created["s3"]["s3SchemaVersion"], "1.0")
        self.assertEqual(created["s3"]["configurationId"], "n1")
        self.assertEqual(created["s3"]["bucket"]["name"], "ntf-q")
        self.assertEqual(created["s3"]["bucket"]["arn"], "arn:aws:s3:::ntf-q")
        obj = created["s3"]["object"]
        self.assertEqual(obj["key"], "ev/a+b%2Bc.txt")
        self.assertEqual(urllib.parse.unquote_plus(obj["key"]), "ev/a b+c.txt")
        self.assertEqual(obj["size"], 3)
        self.assertEqual(obj["eTag"], put["ETag"].strip('"'))
        self.assertNotIn("versionId", obj)
        self.assertIn("x-amz-request-id", created["responseElements"])
        self.assertEqual(recs[1]["eventName"], "ObjectCreated:Put")
        self.assertEqual(recs[1]["s3"]["object"]["size"], 4)
        self.assertGreater(recs[1]["s3"]["object"]["sequencer"], obj["sequencer"])
        self.assertEqual(recs[2]["eventName"], "ObjectRemoved:Delete")
        self.assertNotIn("size", recs[2]["s3"]["object"])
        self.assertGreater(recs[2]["s3"]["object"]["sequencer"], recs[1]["s3"]["object"]["sequencer"])

    def test_multipart_copy_and_versioned_events(self):
        self.s3.create_bucket(Bucket="ntf-v")
        self.s3.put_bucket_versioning(Bucket="ntf-v", VersioningConfiguration={"Status": "Enabled"})
        url = self.sqs.create_queue(QueueName="ntf-v")["QueueUrl"]
        arn = "arn:aws:sqs:us-east-1:000000000000:ntf-v"
        self.s3.put_bucket_notification_configuration(Bucket="ntf-v", NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*",
                                                                "s3:ObjectRemoved:DeleteMarkerCreated"]}]})
        self.assertEqual(self.receive(url, 1)[0]["Event"], "s3:TestEvent")
        uid = self.s3.create_multipart_upload(Bucket="ntf-v", Key="mp")["UploadId"]
        p = self.s3.upload_part(Bucket="ntf-v", Key="mp", UploadId=uid, PartNumber=1, Body=b"part")
        done = self.s3.complete_multipart_upload(Bucket="ntf-v", Key="mp", UploadId=uid,
                                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p["ETag"]}]})
        self.s3.copy_object(Bucket="ntf-v", Key="copy", CopySource="ntf-v/mp")
        self.s3.delete_object(Bucket="ntf-v", Key="copy")
        recs = [m["Records"][0] for m in self.receive(url, 3)]
        self.assertEqual([r["eventName"] for r in recs],
                         ["ObjectCreated:CompleteMultipartUpload", "ObjectCreated:Copy",
                          "ObjectRemoved:DeleteMarkerCreated"])
        self.assertEqual(recs[0]["s3"]["object"]["eTag"], done["ETag"].strip('"'))
        self.assertTrue(recs[0]["s3"]["object"]["eTag"].endswith("-1"))
        self.assertEqual(recs[0]["s3"]["object"]["versionId"], done["VersionId"])
        self.assertIn("versionId", recs[2]["s3"]["object"])

    def test_invalid_destination_is_rejected_and_nothing_stored(self):
        self.s3.create_bucket(Bucket="ntf-bad")
        with self.assertRaises(ClientError) as ctx:
            self.s3.put_bucket_notification_configuration(Bucket="ntf-bad", NotificationConfiguration={
                "QueueConfigurations": [{"QueueArn": "arn:aws:sqs:us-east-1:000000000000:missing-q",
                                         "Events": ["s3:ObjectCreated:*"]}]})
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidArgument")
        with self.assertRaises(ClientError) as ctx:
            self.s3.put_bucket_notification_configuration(Bucket="ntf-bad", NotificationConfiguration={
                "QueueConfigurations": [{"QueueArn": "arn:aws:sqs:us-east-1:000000000000:x",
                                         "Events": ["s3:NoSuchEvent"]}]})
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidArgument")
        cfg = self.s3.get_bucket_notification_configuration(Bucket="ntf-bad")
        self.assertNotIn("QueueConfigurations", cfg)

    def test_topic_configuration_via_sns_to_sqs(self):
        self.s3.create_bucket(Bucket="ntf-t")
        topic = self.sns.create_topic(Name="ntf-t")["TopicArn"]
        url = self.sqs.create_queue(QueueName="ntf-t-sub")["QueueUrl"]
        self.sns.subscribe(TopicArn=topic, Protocol="sqs",
                           Endpoint="arn:aws:sqs:us-east-1:000000000000:ntf-t-sub")
        self.s3.put_bucket_notification_configuration(Bucket="ntf-t", NotificationConfiguration={
            "TopicConfigurations": [{"Id": "t1", "TopicArn": topic, "Events": ["s3:ObjectCreated:Put"]}]})
        self.assertEqual(self.s3.get_bucket_notification_configuration(Bucket="ntf-t")
                         ["TopicConfigurations"][0]["TopicArn"], topic)
        test = self.receive(url, 1)[0]
        self.assertEqual(test["Type"], "Notification")
        self.assertEqual(json.loads(test["Message"])["Event"], "s3:TestEvent")
        self.s3.put_object(Bucket="ntf-t", Key="via topic.txt", Body=b"12")
        env = self.receive(url, 1)[0]
        self.assertEqual(env["TopicArn"], topic)
        self.assertEqual(env["Subject"], "Amazon S3 Notification")
        rec = json.loads(env["Message"])["Records"][0]
        self.assertEqual(rec["eventName"], "ObjectCreated:Put")
        self.assertEqual(rec["s3"]["configurationId"], "t1")
        self.assertEqual(rec["s3"]["object"]["key"], "via+topic.txt")
        self.assertEqual(rec["s3"]["object"]["size"], 2)

    def test_eventbridge_default_bus(self):
        self.s3.create_bucket(Bucket="ntf-eb")
        url = self.sqs.create_queue(QueueName="ntf-eb")["QueueUrl"]
        self.events.put_rule(Name="s3-created", EventPattern=json.dumps({
            "source": ["aws.s3"], "detail-type": ["Object Created", "Object Deleted"],
            "detail": {"bucket": {"name": ["ntf-eb"]}, "object": {"key": [{"prefix": "up/"}]}}}))
        self.events.put_targets(Rule="s3-created", Targets=[
            {"Id": "q", "Arn": "arn:aws:sqs:us-east-1:000000000000:ntf-eb"}])
        self.s3.put_bucket_notification_configuration(
            Bucket="ntf-eb", NotificationConfiguration={"EventBridgeConfiguration": {}})
        self.assertIn("EventBridgeConfiguration",
                      self.s3.get_bucket_notification_configuration(Bucket="ntf-eb"))
        put = self.s3.put_object(Bucket="ntf-eb", Key="up/a b+c.txt", Body=b"hello")
        self.s3.put_object(Bucket="ntf-eb", Key="down/skip", Body=b"x")
        self.s3.delete_object(Bucket="ntf-eb", Key="up/a b+c.txt")
        msgs = self.receive(url, 2)
        self.assertEqual(len(msgs), 2)
        ev = msgs[0]
        self.assertEqual(ev["source"], "aws.s3")
        self.assertEqual(ev["detail-type"], "Object Created")
        self.assertEqual(ev["account"], "000000000000")
        self.assertEqual(ev["region"], "us-east-1")
        self.assertEqual(ev["resources"], ["arn:aws:s3:::ntf-eb"])
        self.assertRegex(ev["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        d = ev["detail"]
        self.assertEqual(d["version"], "0")
        self.assertEqual(d["bucket"]["name"], "ntf-eb")
        self.assertEqual(d["object"]["key"], "up/a b+c.txt")
        self.assertEqual(d["object"]["size"], 5)
        self.assertEqual(d["object"]["etag"], put["ETag"].strip('"'))
        self.assertNotIn("version-id", d["object"])
        self.assertEqual(d["reason"], "PutObject")
        self.assertEqual(d["requester"], "000000000000")
        self.assertEqual(msgs[1]["detail-type"], "Object Deleted")
        self.assertEqual(msgs[1]["detail"]["reason"], "DeleteObject")
        self.assertEqual(msgs[1]["detail"]["deletion-type"], "Permanently Deleted")


if __name__ == "__main__":
    main()
