"""S3 with boto3: GetObject/HeadObject by PartNumber, ListMultipartUploads paging, lifecycle
expiration on a versioned bucket, and signed aws-chunked trailers under --auth sigv4."""
import binascii
import hashlib
import hmac
import http.client
import re
import time
import zlib
import base64
import json

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from harness import ServerTestCase, main

MIB = 1 << 20


class S3PartsTest(ServerTestCase):
    def setUp(self):
        self.s3 = self.server.client("s3")

    def tearDown(self):
        self.s3.close()

    def test_get_and_head_by_part_number(self):
        s3 = self.s3
        s3.create_bucket(Bucket="pnum")
        p1, p2 = b"a" * (5 * MIB), b"b" * 1000
        up = s3.create_multipart_upload(Bucket="pnum", Key="obj")["UploadId"]
        e1 = s3.upload_part(Bucket="pnum", Key="obj", UploadId=up, PartNumber=1, Body=p1)["ETag"]
        e2 = s3.upload_part(Bucket="pnum", Key="obj", UploadId=up, PartNumber=2, Body=p2)["ETag"]
        s3.complete_multipart_upload(Bucket="pnum", Key="obj", UploadId=up, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
        r = s3.get_object(Bucket="pnum", Key="obj", PartNumber=2)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(r["PartsCount"], 2)
        self.assertEqual(r["ContentRange"], "bytes %d-%d/%d" % (len(p1), len(p1) + 999, len(p1) + 1000))
        self.assertEqual(r["Body"].read(), p2)
        h = s3.head_object(Bucket="pnum", Key="obj", PartNumber=1)
        self.assertEqual(h["ContentLength"], len(p1))
        self.assertEqual(h["PartsCount"], 2)
        with self.assertRaises(ClientError) as ctx:
            s3.get_object(Bucket="pnum", Key="obj", PartNumber=3)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidPartNumber")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 416)
        s3.put_object(Bucket="pnum", Key="plain", Body=b"hello")
        self.assertEqual(s3.get_object(Bucket="pnum", Key="plain", PartNumber=1)["Body"].read(), b"hello")

    def test_list_multipart_uploads_pages(self):
        s3 = self.s3
        s3.create_bucket(Bucket="mups")
        ids = {}
        for k in ["a/1", "a/2", "b", "c", "c"]:
            ids.setdefault(k, []).append(s3.create_multipart_upload(Bucket="mups", Key=k)["UploadId"])
        seen = []
        kw = {"Bucket": "mups", "MaxUploads": 2}
        while True:
            r = s3.list_multipart_uploads(**kw)
            self.assertLessEqual(len(r.get("Uploads", [])), 2)
            seen += [(u["Key"], u["UploadId"]) for u in r.get("Uploads", [])]
            if not r["IsTruncated"]:
                break
            kw.update(KeyMarker=r["NextKeyMarker"], UploadIdMarker=r["NextUploadIdMarker"])
        self.assertEqual([k for k, _ in seen], ["a/1", "a/2", "b", "c", "c"])
        self.assertEqual(sorted(u for _, u in seen if _ == "c"), sorted(ids["c"]))
        pages = s3.get_paginator("list_multipart_uploads").paginate(
            Bucket="mups", PaginationConfig={"PageSize": 1})
        self.assertEqual(sum(len(p.get("Uploads", [])) for p in pages), 5)
        r = s3.list_multipart_uploads(Bucket="mups", Delimiter="/")
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["a/"])
        self.assertEqual([u["Key"] for u in r["Uploads"]], ["b", "c", "c"])
        r = s3.list_multipart_uploads(Bucket="mups", Prefix="a/")
        self.assertEqual([u["Key"] for u in r["Uploads"]], ["a/1", "a/2"])

    def test_lifecycle_on_a_versioned_bucket_places_delete_markers(self):
        s3 = self.s3
        s3.create_bucket(Bucket="lcv")
        s3.put_bucket_versioning(Bucket="lcv", VersioningConfiguration={"Status": "Enabled"})
        v1 = s3.put_object(Bucket="lcv", Key="tmp/a", Body=b"one")["VersionId"]
        s3.put_object(Bucket="lcv", Key="keep/b", Body=b"kept")
        s3.put_bucket_lifecycle_configuration(Bucket="lcv", LifecycleConfiguration={"Rules": [{
            "ID": "old", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
            "Expiration": {"Date": "2020-01-01T00:00:00Z"},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}]})
        with self.assertRaises(ClientError) as ctx:
            s3.get_object(Bucket="lcv", Key="tmp/a")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "NoSuchKey")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPHeaders"].get(
            "x-amz-delete-marker"), "true")
        self.assertEqual(s3.get_object(Bucket="lcv", Key="tmp/a", VersionId=v1)["Body"].read(), b"one")
        versions = s3.list_object_versions(Bucket="lcv")
        self.assertEqual([m["Key"] for m in versions["DeleteMarkers"]], ["tmp/a"])
        self.assertTrue(versions["DeleteMarkers"][0]["IsLatest"])
        self.assertEqual(sorted(v["Key"] for v in versions["Versions"]), ["keep/b", "tmp/a"])
        self.assertEqual([o["Key"] for o in s3.list_objects_v2(Bucket="lcv")["Contents"]], ["keep/b"])

    def test_lifecycle_rules_validated_and_not_yet_due(self):
        s3 = self.s3
        s3.create_bucket(Bucket="lcrules")

        def code(rules):
            with self.assertRaises(ClientError) as ctx:
                s3.put_bucket_lifecycle_configuration(Bucket="lcrules",
                                                      LifecycleConfiguration={"Rules": rules})
            return ctx.exception.response["Error"]["Code"]

        everything = {"Prefix": ""}
        self.assertEqual(code([{"ID": "a", "Status": "Enabled", "Filter": everything, "Expiration": {
            "Days": 3, "ExpiredObjectDeleteMarker": True}}]), "MalformedXML")
        self.assertEqual(code([{"ID": "a", "Status": "Enabled", "Filter": everything}]),
                         "InvalidRequest")
        self.assertEqual(code([{"ID": "a", "Status": "Enabled", "Filter": everything,
                                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 0}}]),
                         "InvalidArgument")
        self.assertEqual(code([{"ID": "a", "Status": "Enabled", "Filter": everything, "Transitions": [
            {"Days": 5, "StorageClass": "STANDARD_IA"}]}]), "InvalidArgument")
        r = s3.put_bucket_lifecycle_configuration(
            Bucket="lcrules", TransitionDefaultMinimumObjectSize="varies_by_storage_class",
            LifecycleConfiguration={"Rules": [
                {"ID": "mpu", "Status": "Enabled", "Filter": everything,
                 "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                 "Transitions": [{"Days": 1, "StorageClass": "GLACIER"}]},
                {"ID": "markers", "Status": "Enabled",
                 "Filter": {"And": {"Prefix": "x/", "ObjectSizeGreaterThan": 10}},
                 "Expiration": {"ExpiredObjectDeleteMarker": True},
                 "NoncurrentVersionTransitions": [{"NoncurrentDays": 30, "StorageClass": "ONEZONE_IA"}]}]})
        self.assertEqual(r["TransitionDefaultMinimumObjectSize"], "varies_by_storage_class")
        got = s3.get_bucket_lifecycle_configuration(Bucket="lcrules")
        self.assertEqual([rule["ID"] for rule in got["Rules"]], ["mpu", "markers"])
        self.assertEqual(got["TransitionDefaultMinimumObjectSize"], "varies_by_storage_class")
        # Days 1 is due at the second midnight UTC from now: the upload lives, the class is STANDARD.
        up = s3.create_multipart_upload(Bucket="lcrules", Key="k")["UploadId"]
        s3.upload_part(Bucket="lcrules", Key="k", UploadId=up, PartNumber=1, Body=b"p")
        self.assertEqual([u["UploadId"] for u in s3.list_multipart_uploads(Bucket="lcrules")["Uploads"]], [up])
        s3.put_object(Bucket="lcrules", Key="o", Body=b"small")
        self.assertEqual(s3.list_objects_v2(Bucket="lcrules")["Contents"][0]["StorageClass"], "STANDARD")
        self.assertNotIn("StorageClass", s3.head_object(Bucket="lcrules", Key="o"))


class S3SignedTrailerTest(ServerTestCase):
    server_args = ["--auth", "sigv4", "--credentials", "good:secret"]

    def _put(self, payload, corrupt=False, omit=False):
        host = "127.0.0.1:%d" % self.server.port
        marker = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
        url = self.server.endpoint + "/trail/obj"
        req = AWSRequest(method="PUT", url=url, headers={
            "Host": host, "X-Amz-Content-SHA256": marker, "Content-Encoding": "aws-chunked",
            "x-amz-trailer": "x-amz-checksum-crc32",
            "x-amz-decoded-content-length": str(len(payload))})
        SigV4Auth(Credentials("good", "secret"), "s3", "us-east-1").add_auth(req)
        seed = re.search(r"Signature=([0-9a-f]{64})", req.headers["Authorization"]).group(1)
        amz_date = req.headers["X-Amz-Date"]
        scope = amz_date[:8] + "/us-east-1/s3/aws4_request"

        def hm(key, msg):
            return hmac.new(key, msg.encode(), hashlib.sha256).digest()
        key = hm(hm(hm(hm(b"AWS4secret", amz_date[:8]), "us-east-1"), "s3"), "aws4_request")

        def sign(kind, prev, *hashes):
            return binascii.hexlify(hm(key, "\n".join([kind, amz_date, scope, prev] + list(hashes)))).decode()
        empty = hashlib.sha256(b"").hexdigest()
        s1 = sign("AWS4-HMAC-SHA256-PAYLOAD", seed, empty, hashlib.sha256(payload).hexdigest())
        s0 = sign("AWS4-HMAC-SHA256-PAYLOAD", s1, empty, empty)
        crc = base64.b64encode((zlib.crc32(payload) & 0xffffffff).to_bytes(4, "big")).decode()
        trailer = "x-amz-checksum-crc32:" + crc + "\n"
        tsig = sign("AWS4-HMAC-SHA256-TRAILER", s0, hashlib.sha256(trailer.encode()).hexdigest())
        if corrupt:
            tsig = ("1" if tsig[0] == "0" else "0") + tsig[1:]
        wire = b"%x;chunk-signature=%s\r\n" % (len(payload), s1.encode()) + payload + b"\r\n"
        wire += b"0;chunk-signature=" + s0.encode() + b"\r\n" + trailer.replace("\n", "\r\n").encode()
        if not omit:
            wire += b"x-amz-trailer-signature:" + tsig.encode() + b"\r\n"
        wire += b"\r\n"
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        headers = dict(req.headers.items())
        headers["Content-Length"] = str(len(wire))
        conn.request("PUT", "/trail/obj", body=wire, headers=headers)
        r = conn.getresponse()
        body = r.read().decode()
        conn.close()
        return r.status, body, r.getheader("x-amz-checksum-crc32"), crc

    def test_trailer_signature_verified(self):
        s3 = boto3.client("s3", endpoint_url=self.server.endpoint, region_name="us-east-1",
                          aws_access_key_id="good", aws_secret_access_key="secret",
                          config=Config(signature_version="s3v4"))
        s3.create_bucket(Bucket="trail")
        status, body, echoed, crc = self._put(b"signed chunks and a signed trailer")
        self.assertEqual(status, 200, body)
        self.assertEqual(echoed, crc)
        status, body, _, _ = self._put(b"forged trailer", corrupt=True)
        self.assertEqual(status, 403)
        self.assertIn("<Code>SignatureDoesNotMatch</Code>", body)
        status, body, _, _ = self._put(b"no trailer signature", omit=True)
        self.assertEqual(status, 403)
        self.assertEqual(s3.get_object(Bucket="trail", Key="obj")["Body"].read(),
                         b"signed chunks and a signed trailer")
        s3.close()


class S3RestoreTest(ServerTestCase):
    """Archived objects: RestoreObject with a short --s3-restore-delay-ms."""
    server_args = ["--s3-restore-delay-ms", "300"]

    def test_restore_object_and_head_restore_field(self):
        s3 = self.server.client("s3")
        s3.create_bucket(Bucket="cold")
        sqs = self.server.client("sqs")
        qurl = sqs.create_queue(QueueName="restores")["QueueUrl"]
        qarn = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        s3.put_bucket_notification_configuration(Bucket="cold", NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": qarn, "Events": ["s3:ObjectRestore:*"]}]})
        s3.put_object(Bucket="cold", Key="k", Body=b"archived bytes", StorageClass="GLACIER")
        with self.assertRaises(ClientError) as ctx:
            s3.get_object(Bucket="cold", Key="k")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidObjectState")
        self.assertEqual(ctx.exception.response["Error"]["StorageClass"], "GLACIER")
        h = s3.head_object(Bucket="cold", Key="k")
        self.assertEqual(h["StorageClass"], "GLACIER")
        self.assertNotIn("Restore", h)
        r = s3.restore_object(Bucket="cold", Key="k", RestoreRequest={
            "Days": 2, "GlacierJobParameters": {"Tier": "Expedited"}})
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 202)
        with self.assertRaises(ClientError) as ctx:
            s3.restore_object(Bucket="cold", Key="k", RestoreRequest={"Days": 2})
        self.assertEqual(ctx.exception.response["Error"]["Code"], "RestoreAlreadyInProgress")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 409)
        # The restore completes by the server's clock; wait for it (not a speed check).
        deadline = time.time() + 20
        restore = s3.head_object(Bucket="cold", Key="k").get("Restore", "")
        while restore == 'ongoing-request="true"' and time.time() < deadline:
            time.sleep(0.1)
            restore = s3.head_object(Bucket="cold", Key="k").get("Restore", "")
        self.assertRegex(restore, r'^ongoing-request="false", expiry-date="\w{3}, \d\d \w{3} \d{4} 00:00:00 GMT"$')
        self.assertEqual(s3.get_object(Bucket="cold", Key="k")["Body"].read(), b"archived bytes")
        listed = s3.list_objects_v2(Bucket="cold", OptionalObjectAttributes=["RestoreStatus"])
        status = listed["Contents"][0]["RestoreStatus"]
        self.assertFalse(status["IsRestoreInProgress"])
        self.assertEqual(status["RestoreExpiryDate"].hour, 0)
        # The restore thread sends ObjectRestore:Completed once the copy is ready.
        events, deadline = [], time.time() + 20
        while "ObjectRestore:Completed" not in events and time.time() < deadline:
            for m in sqs.receive_message(QueueUrl=qurl, MaxNumberOfMessages=10,
                                         WaitTimeSeconds=1).get("Messages", []):
                body = json.loads(m["Body"])
                events += [r["eventName"] for r in body.get("Records", [])]
        self.assertEqual(events, ["ObjectRestore:Post", "ObjectRestore:Completed"])
        sqs.close()
        again = s3.restore_object(Bucket="cold", Key="k", RestoreRequest={"Days": 5})
        self.assertEqual(again["ResponseMetadata"]["HTTPStatusCode"], 200)
        with self.assertRaises(ClientError) as ctx:
            s3.put_object(Bucket="cold", Key="plain", Body=b"x")
            s3.restore_object(Bucket="cold", Key="plain", RestoreRequest={"Days": 1})
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidObjectState")
        s3.close()

    def test_part_read_checksum_is_the_parts_own(self):
        s3 = self.server.client("s3")
        s3.create_bucket(Bucket="partsum")
        p1, p2 = b"a" * (5 * MIB), b"tail part"
        up = s3.create_multipart_upload(Bucket="partsum", Key="o", ChecksumAlgorithm="CRC32")["UploadId"]
        parts = []
        for n, body in ((1, p1), (2, p2)):
            r = s3.upload_part(Bucket="partsum", Key="o", UploadId=up, PartNumber=n, Body=body,
                               ChecksumAlgorithm="CRC32")
            parts.append({"PartNumber": n, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]})
        s3.complete_multipart_upload(Bucket="partsum", Key="o", UploadId=up,
                                     MultipartUpload={"Parts": parts})
        # botocore validates a returned checksum against the body: a wrong one would raise.
        g = s3.get_object(Bucket="partsum", Key="o", PartNumber=2, ChecksumMode="ENABLED")
        self.assertEqual(g["Body"].read(), p2)
        expected = base64.b64encode(zlib.crc32(p2).to_bytes(4, "big")).decode()
        self.assertEqual(g["ChecksumCRC32"], expected)
        self.assertEqual(g["PartsCount"], 2)
        s3.close()


if __name__ == "__main__":
    main()
