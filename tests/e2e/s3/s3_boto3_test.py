"""S3 with boto3: transfer manager, presigned URLs (v2 and v4), ranges, conditionals, listing,
copy, versioning, tagging, multipart errors, checksums and error shapes."""
import base64
import hashlib
import http.client
import os
import socket
import time
import urllib.error
import urllib.request
import zlib

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import Server, ServerTestCase, TempDir, main


def crc32_b64(data):
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


class S3Boto3Test(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3 = cls.server.client("s3")
        cls.s3.create_bucket(Bucket="bkt3")

    @classmethod
    def tearDownClass(cls):
        cls.s3.close()  # idle keep-alive connections would delay the server's exit
        super().tearDownClass()

    def err(self, fn, *a, **kw):
        with self.assertRaises(ClientError) as ctx:
            fn(*a, **kw)
        return ctx.exception.response

    def test_put_get_head_metadata_and_headers(self):
        put = self.s3.put_object(Bucket="bkt3", Key="m/obj.txt", Body=b"hello\n",
                                 ContentType="text/plain", Metadata={"Color": "Blue"},
                                 CacheControl="max-age=60", ContentDisposition="inline",
                                 ContentEncoding="identity", ContentLanguage="en",
                                 StorageClass="STANDARD_IA")
        self.assertEqual(put["ETag"], '"b1946ac92492d2347c6235b4d2611184"')
        self.assertEqual(put["ChecksumCRC32"], "NjowIA==")
        got = self.s3.get_object(Bucket="bkt3", Key="m/obj.txt")
        self.assertEqual(got["Body"].read(), b"hello\n")
        self.assertEqual(got["Metadata"], {"color": "Blue"})
        self.assertEqual(got["ContentType"], "text/plain")
        self.assertEqual(got["CacheControl"], "max-age=60")
        self.assertEqual(got["ContentDisposition"], "inline")
        self.assertEqual(got["ContentLanguage"], "en")
        self.assertEqual(got["StorageClass"], "STANDARD_IA")
        raw = got["ResponseMetadata"]["HTTPHeaders"]["last-modified"]
        self.assertRegex(raw, r"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$")
        head = self.s3.head_object(Bucket="bkt3", Key="m/obj.txt", ChecksumMode="ENABLED")
        self.assertEqual(head["ContentLength"], 6)
        self.assertEqual(head["ChecksumCRC32"], "NjowIA==")
        over = self.s3.get_object(Bucket="bkt3", Key="m/obj.txt",
                                  ResponseContentType="application/x-test",
                                  ResponseContentDisposition="attachment")
        self.assertEqual(over["ContentType"], "application/x-test")
        self.assertEqual(over["ContentDisposition"], "attachment")

    def test_error_shapes(self):
        r = self.err(self.s3.get_object, Bucket="bkt3", Key="nope/k")
        self.assertEqual(r["Error"]["Code"], "NoSuchKey")
        self.assertEqual(r["Error"]["Key"], "nope/k")
        self.assertEqual(r["Error"]["BucketName"], "bkt3")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 404)
        r = self.err(self.s3.get_object, Bucket="no-such-bucket-x", Key="k")
        self.assertEqual(r["Error"]["Code"], "NoSuchBucket")
        self.assertEqual(r["Error"]["BucketName"], "no-such-bucket-x")
        r = self.err(self.s3.head_object, Bucket="bkt3", Key="nope")
        self.assertEqual(r["Error"]["Code"], "404")
        r = self.err(self.s3.head_bucket, Bucket="no-such-bucket-x")
        self.assertEqual(r["Error"]["Code"], "404")
        for bad in ["ab", "UPPER", "a" * 64, "-lead", "192.168.1.1", "a..b"]:
            r = self.err(self.s3.create_bucket, Bucket=bad)
            self.assertEqual(r["Error"]["Code"], "InvalidBucketName", bad)
        # Raw wire: the root <Error> document with RequestId.
        with urllib.request.urlopen(self.server.endpoint + "/bkt3?list-type=2") as resp:
            self.assertEqual(resp.status, 200)
        try:
            urllib.request.urlopen(self.server.endpoint + "/bkt3/missing")
            self.fail("expected 404")
        except urllib.error.HTTPError as e:
            body = e.read().decode()
            self.assertEqual(e.code, 404)
            self.assertIn("<Error><Code>NoSuchKey</Code>", body)
            self.assertIn("<RequestId>", body)
            self.assertEqual(e.headers["Content-Type"], "application/xml")

    def test_bucket_lifecycle_errors(self):
        self.s3.create_bucket(Bucket="bkt3-del")
        self.s3.create_bucket(Bucket="bkt3-del")  # us-east-1: 200 again
        self.s3.put_object(Bucket="bkt3-del", Key="x", Body=b"1")
        r = self.err(self.s3.delete_bucket, Bucket="bkt3-del")
        self.assertEqual(r["Error"]["Code"], "BucketNotEmpty")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 409)
        self.s3.delete_object(Bucket="bkt3-del", Key="x")
        self.s3.delete_bucket(Bucket="bkt3-del")
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertNotIn("bkt3-del", names)
        self.assertIn("bkt3", names)
        eu = boto3.client("s3", endpoint_url=self.server.endpoint, region_name="eu-west-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
        eu.create_bucket(Bucket="bkt3-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        r = self.err(eu.create_bucket, Bucket="bkt3-eu",
                     CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.assertEqual(r["Error"]["Code"], "BucketAlreadyOwnedByYou")
        # Usable from any client region.
        self.s3.put_object(Bucket="bkt3-eu", Key="k", Body=b"v")
        self.assertEqual(self.s3.get_bucket_location(Bucket="bkt3-eu")["LocationConstraint"], "eu-west-1")
        self.assertEqual(self.s3.head_bucket(Bucket="bkt3-eu")["ResponseMetadata"]["HTTPHeaders"]
                         ["x-amz-bucket-region"], "eu-west-1")

    def test_range_and_conditionals(self):
        data = bytes(range(256)) * 4
        etag = self.s3.put_object(Bucket="bkt3", Key="r.bin", Body=data)["ETag"]
        g = self.s3.get_object(Bucket="bkt3", Key="r.bin", Range="bytes=10-19", ChecksumMode="ENABLED")
        self.assertEqual(g["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(g["ContentRange"], "bytes 10-19/1024")
        self.assertEqual(g["Body"].read(), data[10:20])
        self.assertNotIn("ChecksumCRC32", g)  # never a whole-object checksum on a 206
        self.assertEqual(self.s3.get_object(Bucket="bkt3", Key="r.bin", Range="bytes=-5")["Body"].read(),
                         data[-5:])
        self.assertEqual(self.s3.get_object(Bucket="bkt3", Key="r.bin", Range="bytes=1000-")["Body"].read(),
                         data[1000:])
        r = self.err(self.s3.get_object, Bucket="bkt3", Key="r.bin", Range="bytes=2000-3000")
        self.assertEqual(r["Error"]["Code"], "InvalidRange")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 416)
        self.assertEqual(self.s3.get_object(Bucket="bkt3", Key="r.bin", IfMatch=etag)["Body"].read(), data)
        r = self.err(self.s3.get_object, Bucket="bkt3", Key="r.bin", IfMatch='"0000"')
        self.assertEqual(r["Error"]["Code"], "PreconditionFailed")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 412)
        r = self.err(self.s3.get_object, Bucket="bkt3", Key="r.bin", IfNoneMatch=etag)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 304)
        future = time.time() + 3600
        import datetime
        fut = datetime.datetime.fromtimestamp(future, datetime.timezone.utc)
        past = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
        r = self.err(self.s3.get_object, Bucket="bkt3", Key="r.bin", IfModifiedSince=fut)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 304)
        r = self.err(self.s3.get_object, Bucket="bkt3", Key="r.bin", IfUnmodifiedSince=past)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 412)
        self.assertEqual(self.s3.get_object(Bucket="bkt3", Key="r.bin", IfModifiedSince=past)
                         ["ContentLength"], 1024)

    def test_list_v2_prefix_delimiter_pagination_and_encoding(self):
        self.s3.create_bucket(Bucket="bkt3-list")
        keys = ["a/1", "a/2", "a/b/3", "b+c d", "c", "é", "z/9"]
        for k in keys:
            self.s3.put_object(Bucket="bkt3-list", Key=k, Body=b"x")
        r = self.s3.list_objects_v2(Bucket="bkt3-list")
        self.assertEqual([o["Key"] for o in r["Contents"]], sorted(keys, key=lambda s: s.encode()))
        self.assertEqual(r["KeyCount"], len(keys))
        r = self.s3.list_objects_v2(Bucket="bkt3-list", Delimiter="/")
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["a/", "z/"])
        self.assertEqual([o["Key"] for o in r["Contents"]], ["b+c d", "c", "é"])
        r = self.s3.list_objects_v2(Bucket="bkt3-list", Prefix="a/", Delimiter="/")
        self.assertEqual([o["Key"] for o in r["Contents"]], ["a/1", "a/2"])
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["a/b/"])
        seen, token = [], None
        while True:
            kw = {"Bucket": "bkt3-list", "MaxKeys": 2, "Delimiter": "/"}
            if token:
                kw["ContinuationToken"] = token
            page = self.s3.list_objects_v2(**kw)
            seen += [o["Key"] for o in page.get("Contents", [])]
            seen += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
            if not page["IsTruncated"]:
                break
            token = page["NextContinuationToken"]
        self.assertEqual(sorted(seen), sorted(["a/", "b+c d", "c", "é", "z/"]))
        r = self.s3.list_objects_v2(Bucket="bkt3-list", StartAfter="c")
        self.assertEqual([o["Key"] for o in r["Contents"]], ["z/9", "é"])
        v1 = self.s3.list_objects(Bucket="bkt3-list", MaxKeys=3)
        self.assertTrue(v1["IsTruncated"])
        v1b = self.s3.list_objects(Bucket="bkt3-list", Marker=v1["Contents"][-1]["Key"])
        self.assertEqual(len(v1["Contents"]) + len(v1b["Contents"]), len(keys))
        # Raw: encoding only when asked.
        raw = urllib.request.urlopen(self.server.endpoint + "/bkt3-list?list-type=2&prefix=b").read().decode()
        self.assertIn("<Key>b+c d</Key>", raw)
        self.assertNotIn("EncodingType", raw)
        raw = urllib.request.urlopen(self.server.endpoint +
                                     "/bkt3-list?list-type=2&prefix=b&encoding-type=url").read().decode()
        self.assertIn("<Key>b%2Bc%20d</Key>", raw)
        self.assertIn("<EncodingType>url</EncodingType>", raw)

    def test_copy_object_directives_and_conditions(self):
        self.s3.put_object(Bucket="bkt3", Key="src/a b.txt", Body=b"copy me", Metadata={"k": "v"},
                           ContentType="text/plain")
        self.s3.copy_object(Bucket="bkt3", Key="dst/copy.txt", CopySource={"Bucket": "bkt3", "Key": "src/a b.txt"})
        h = self.s3.head_object(Bucket="bkt3", Key="dst/copy.txt")
        self.assertEqual(h["Metadata"], {"k": "v"})
        self.assertEqual(h["ContentType"], "text/plain")
        self.s3.copy_object(Bucket="bkt3", Key="dst/replaced.txt", CopySource="bkt3/src/a b.txt",
                            MetadataDirective="REPLACE", Metadata={"n": "1"}, ContentType="x/y")
        h = self.s3.head_object(Bucket="bkt3", Key="dst/replaced.txt")
        self.assertEqual(h["Metadata"], {"n": "1"})
        self.assertEqual(h["ContentType"], "x/y")
        r = self.err(self.s3.copy_object, Bucket="bkt3", Key="src/a b.txt", CopySource="bkt3/src/a b.txt")
        self.assertEqual(r["Error"]["Code"], "InvalidRequest")
        r = self.err(self.s3.copy_object, Bucket="bkt3", Key="d", CopySource="bkt3/src/a b.txt",
                     CopySourceIfMatch='"nope"')
        self.assertEqual(r["Error"]["Code"], "PreconditionFailed")
        r = self.err(self.s3.copy_object, Bucket="bkt3", Key="d", CopySource="bkt3/src/missing")
        self.assertEqual(r["Error"]["Code"], "NoSuchKey")

    def test_delete_objects_quiet_and_verbose(self):
        for k in ["d/1", "d/2", "d/3"]:
            self.s3.put_object(Bucket="bkt3", Key=k, Body=b"x")
        r = self.s3.delete_objects(Bucket="bkt3", Delete={"Objects": [{"Key": "d/1"}, {"Key": "d/x"}]})
        self.assertEqual(sorted(d["Key"] for d in r["Deleted"]), ["d/1", "d/x"])
        r = self.s3.delete_objects(Bucket="bkt3", Delete={"Objects": [{"Key": "d/2"}], "Quiet": True})
        self.assertNotIn("Deleted", r)
        left = [o["Key"] for o in self.s3.list_objects_v2(Bucket="bkt3", Prefix="d/")["Contents"]]
        self.assertEqual(left, ["d/3"])

    def test_transfer_manager_upload_download(self):
        cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024,
                             max_concurrency=8)
        with TempDir() as d:
            src = os.path.join(d, "up.bin")
            data = os.urandom(17 * 1024 * 1024)
            with open(src, "wb") as f:
                f.write(data)
            self.s3.upload_file(src, "bkt3", "tm/up.bin", Config=cfg)
            head = self.s3.head_object(Bucket="bkt3", Key="tm/up.bin")
            self.assertTrue(head["ETag"].endswith('-4"'))
            self.assertEqual(head["ContentLength"], len(data))
            dst = os.path.join(d, "down.bin")
            self.s3.download_file("bkt3", "tm/up.bin", dst, Config=cfg)
            with open(dst, "rb") as f:
                self.assertEqual(hashlib.md5(f.read()).digest(), hashlib.md5(data).digest())

    def test_multipart_errors_and_listing(self):
        up = self.s3.create_multipart_upload(Bucket="bkt3", Key="mp/e", ChecksumAlgorithm="SHA256")
        uid = up["UploadId"]
        small = self.s3.upload_part(Bucket="bkt3", Key="mp/e", UploadId=uid, PartNumber=2, Body=b"small",
                                    ChecksumAlgorithm="SHA256")
        big_data = b"a" * (5 * 1024 * 1024)
        big = self.s3.upload_part(Bucket="bkt3", Key="mp/e", UploadId=uid, PartNumber=1, Body=big_data,
                                  ChecksumAlgorithm="SHA256")
        self.assertEqual(big["ChecksumSHA256"], base64.b64encode(hashlib.sha256(big_data).digest()).decode())
        r = self.err(self.s3.upload_part, Bucket="bkt3", Key="mp/e", UploadId=uid, PartNumber=3,
                     Body=b"crc", ChecksumAlgorithm="CRC32")
        self.assertEqual(r["Error"]["Code"], "InvalidRequest")
        parts = self.s3.list_parts(Bucket="bkt3", Key="mp/e", UploadId=uid)["Parts"]
        self.assertEqual([p["PartNumber"] for p in parts], [1, 2])
        ups = self.s3.list_multipart_uploads(Bucket="bkt3")["Uploads"]
        self.assertIn(uid, [u["UploadId"] for u in ups])
        r = self.err(self.s3.complete_multipart_upload, Bucket="bkt3", Key="mp/e", UploadId=uid,
                     MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": small["ETag"]},
                                                {"PartNumber": 1, "ETag": big["ETag"]}]})
        self.assertEqual(r["Error"]["Code"], "InvalidPartOrder")
        r = self.err(self.s3.complete_multipart_upload, Bucket="bkt3", Key="mp/e", UploadId=uid,
                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"deadbeef"'}]})
        self.assertEqual(r["Error"]["Code"], "InvalidPart")
        r = self.err(self.s3.complete_multipart_upload, Bucket="bkt3", Key="mp/e", UploadId=uid,
                     MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": small["ETag"]},
                                                {"PartNumber": 3, "ETag": small["ETag"]}]})
        self.assertIn(r["Error"]["Code"], ("EntityTooSmall", "InvalidPart"))
        # Part 2 is small but last: fine. Quoted or unquoted ETags both match.
        done = self.s3.complete_multipart_upload(
            Bucket="bkt3", Key="mp/e", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": big["ETag"]},
                                       {"PartNumber": 2, "ETag": small["ETag"].strip('"')}]})
        expect = hashlib.md5(hashlib.md5(big_data).digest() + hashlib.md5(b"small").digest()).hexdigest()
        self.assertEqual(done["ETag"], '"%s-2"' % expect)
        self.assertTrue(done["ChecksumSHA256"].endswith("-2"))
        body = self.s3.get_object(Bucket="bkt3", Key="mp/e")["Body"].read()
        self.assertEqual(body, big_data + b"small")
        r = self.err(self.s3.upload_part, Bucket="bkt3", Key="mp/e", UploadId=uid, PartNumber=1, Body=b"x")
        self.assertEqual(r["Error"]["Code"], "NoSuchUpload")
        up2 = self.s3.create_multipart_upload(Bucket="bkt3", Key="mp/abort")["UploadId"]
        self.s3.upload_part(Bucket="bkt3", Key="mp/abort", UploadId=up2, PartNumber=1, Body=b"x")
        self.s3.abort_multipart_upload(Bucket="bkt3", Key="mp/abort", UploadId=up2)
        r = self.err(self.s3.list_parts, Bucket="bkt3", Key="mp/abort", UploadId=up2)
        self.assertEqual(r["Error"]["Code"], "NoSuchUpload")

    def test_upload_part_copy(self):
        data = os.urandom(6 * 1024 * 1024)
        self.s3.put_object(Bucket="bkt3", Key="upc/src", Body=data)
        uid = self.s3.create_multipart_upload(Bucket="bkt3", Key="upc/dst")["UploadId"]
        p1 = self.s3.upload_part_copy(Bucket="bkt3", Key="upc/dst", UploadId=uid, PartNumber=1,
                                      CopySource="bkt3/upc/src", CopySourceRange="bytes=0-5242879")
        p2 = self.s3.upload_part_copy(Bucket="bkt3", Key="upc/dst", UploadId=uid, PartNumber=2,
                                      CopySource="bkt3/upc/src", CopySourceRange="bytes=5242880-6291455")
        self.assertEqual(p1["CopyPartResult"]["ETag"], '"%s"' % hashlib.md5(data[:5242880]).hexdigest())
        self.s3.complete_multipart_upload(
            Bucket="bkt3", Key="upc/dst", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p1["CopyPartResult"]["ETag"]},
                                       {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]}]})
        self.assertEqual(self.s3.get_object(Bucket="bkt3", Key="upc/dst")["Body"].read(), data)

    def test_checksums_verified(self):
        for algo, fn in [("SHA1", lambda d: hashlib.sha1(d).digest()),
                         ("SHA256", lambda d: hashlib.sha256(d).digest()),
                         ("CRC32", lambda d: zlib.crc32(d).to_bytes(4, "big"))]:
            out = self.s3.put_object(Bucket="bkt3", Key="ck/" + algo, Body=b"abc", ChecksumAlgorithm=algo)
            self.assertEqual(out["Checksum" + algo], base64.b64encode(fn(b"abc")).decode())
            got = self.s3.get_object(Bucket="bkt3", Key="ck/" + algo, ChecksumMode="ENABLED")
            self.assertEqual(got["Body"].read(), b"abc")
            self.assertEqual(got["Checksum" + algo], out["Checksum" + algo])
        # botocore retries BadDigest (as against AWS): one attempt keeps the test fast.
        once = self.server.client("s3", config=Config(retries={"max_attempts": 1, "mode": "legacy"}))
        r = self.err(once.put_object, Bucket="bkt3", Key="ck/bad", Body=b"abc",
                     ChecksumCRC32="AAAAAA==")
        self.assertEqual(r["Error"]["Code"], "BadDigest")
        r = self.err(once.put_object, Bucket="bkt3", Key="ck/badmd5", Body=b"abc",
                     ContentMD5=base64.b64encode(hashlib.md5(b"xyz").digest()).decode())
        self.assertEqual(r["Error"]["Code"], "BadDigest")
        self.s3.put_object(Bucket="bkt3", Key="ck/md5", Body=b"abc",
                           ContentMD5=base64.b64encode(hashlib.md5(b"abc").digest()).decode())
        once.close()
        # Bad input changes nothing.
        self.assertEqual(self.err(self.s3.head_object, Bucket="bkt3", Key="ck/bad")["Error"]["Code"], "404")

    def test_aws_chunked_bodies_on_the_wire(self):
        host = "127.0.0.1:%d" % self.server.port
        data1, data2 = b"stream-part-1 ", b"stream-part-2"
        body = (b"e\r\n" + data1 + b"\r\nd\r\n" + data2 + b"\r\n0\r\n" +
                b"x-amz-checksum-crc32:" + crc32_b64(data1 + data2).encode() + b"\r\n\r\n")
        conn = http.client.HTTPConnection(host)
        conn.request("PUT", "/bkt3/chunked/unsigned", body=body, headers={
            "Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": "27",
            "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "x-amz-trailer": "x-amz-checksum-crc32", "Content-Length": str(len(body))})
        resp = conn.getresponse()
        resp.read()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("x-amz-checksum-crc32"), crc32_b64(data1 + data2))
        self.assertEqual(self.s3.get_object(Bucket="bkt3", Key="chunked/unsigned")["Body"].read(),
                         data1 + data2)
        # The same inside HTTP chunked transfer encoding, no Content-Length.
        conn.putrequest("PUT", "/bkt3/chunked/te")
        for k, v in {"Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": "27",
                     "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                     "x-amz-trailer": "x-amz-checksum-crc32", "Transfer-Encoding": "chunked"}.items():
            conn.putheader(k, v)
        conn.endheaders()
        for i in range(0, len(body), 10):
            piece = body[i:i + 10]
            conn.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
        conn.send(b"0\r\n\r\n")
        resp = conn.getresponse()
        resp.read()
        self.assertEqual(resp.status, 200)
        self.assertEqual(self.s3.get_object(Bucket="bkt3", Key="chunked/te")["Body"].read(), data1 + data2)
        # A wrong trailer checksum is rejected and stores nothing.
        bad = body.replace(crc32_b64(data1 + data2).encode(), b"AAAAAA==")
        conn.request("PUT", "/bkt3/chunked/bad", body=bad, headers={
            "Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": "27",
            "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "x-amz-trailer": "x-amz-checksum-crc32"})
        resp = conn.getresponse()
        text = resp.read().decode()
        self.assertEqual(resp.status, 400)
        self.assertIn("<Code>BadDigest</Code>", text)
        self.assertEqual(self.err(self.s3.head_object, Bucket="bkt3", Key="chunked/bad")["Error"]["Code"], "404")
        # Wrong decoded length.
        conn.request("PUT", "/bkt3/chunked/len", body=body, headers={
            "Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": "99",
            "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER"})
        resp = conn.getresponse()
        self.assertIn("IncompleteBody", resp.read().decode())
        conn.close()

    def test_botocore_over_https_style_trailer_checksum(self):
        # botocore sends aws-chunked with a trailer on https; force it on http.
        s3 = self.server.client("s3", config=Config(request_checksum_calculation="when_supported"))
        s3.put_object(Bucket="bkt3", Key="plain", Body=b"x" * 10)
        self.assertEqual(s3.get_object(Bucket="bkt3", Key="plain")["Body"].read(), b"x" * 10)

    def test_expect_100_continue_is_answered_before_the_body(self):
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        sock.sendall(b"PUT /bkt3/expect HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                     b"Expect: 100-continue\r\n\r\n")
        first = sock.recv(64)
        self.assertTrue(first.startswith(b"HTTP/1.1 100 Continue"), first)
        sock.sendall(b"hello")
        rest = b""
        while b"\r\n\r\n" not in rest:
            rest += sock.recv(4096)
        self.assertIn(b"200 OK", first + rest)
        sock.close()
        self.assertEqual(self.s3.get_object(Bucket="bkt3", Key="expect")["Body"].read(), b"hello")

    def test_presigned_v2_and_v4(self):
        self.s3.put_object(Bucket="bkt3", Key="ps/k e+y.txt", Body=b"signed")
        url2 = self.s3.generate_presigned_url("get_object", Params={"Bucket": "bkt3", "Key": "ps/k e+y.txt"})
        self.assertIn("AWSAccessKeyId=", url2)
        self.assertEqual(urllib.request.urlopen(url2).read(), b"signed")
        v4 = self.server.client("s3", config=Config(signature_version="s3v4"))
        url4 = v4.generate_presigned_url("get_object", Params={"Bucket": "bkt3", "Key": "ps/k e+y.txt"})
        self.assertIn("X-Amz-Signature=", url4)
        self.assertEqual(urllib.request.urlopen(url4).read(), b"signed")
        put = v4.generate_presigned_url("put_object", Params={"Bucket": "bkt3", "Key": "ps/put"})
        req = urllib.request.Request(put, data=b"via presigned put", method="PUT")
        self.assertEqual(urllib.request.urlopen(req).status, 200)
        self.assertEqual(self.s3.get_object(Bucket="bkt3", Key="ps/put")["Body"].read(), b"via presigned put")

    def _post_form(self, post, filename, content):
        boundary = "----edastackboundary"
        parts = []
        for k, v in post["fields"].items():
            parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                          % (boundary, k, v)).encode())
        parts.append(('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
                      'Content-Type: text/plain\r\n\r\n' % (boundary, filename)).encode() + content +
                     b"\r\n")
        body = b"".join(parts) + ("--%s--\r\n" % boundary).encode()
        req = urllib.request.Request(post["url"], data=body, method="POST", headers={
            "Content-Type": "multipart/form-data; boundary=" + boundary})
        return urllib.request.urlopen(req)

    def test_browser_post_upload(self):
        post = self.s3.generate_presigned_post(
            "bkt3", "post/${filename}", Fields={"success_action_status": "201"},
            Conditions=[["starts-with", "$key", "post/"], {"success_action_status": "201"},
                        ["content-length-range", 1, 1000]])
        with self._post_form(post, "form.txt", b"from a browser form") as resp:
            self.assertEqual(resp.status, 201)
            self.assertIn(b"<Key>post/form.txt</Key>", resp.read())
        got = self.s3.get_object(Bucket="bkt3", Key="post/form.txt")
        self.assertEqual(got["Body"].read(), b"from a browser form")
        with self.assertRaises(urllib.error.HTTPError) as ctx:
            self._post_form(post, "big.txt", b"x" * 2000)
        self.assertEqual(ctx.exception.code, 400)
        self.assertIn("EntityTooLarge", ctx.exception.read().decode())

    def test_versioning_and_delete_markers(self):
        self.s3.create_bucket(Bucket="bkt3-ver")
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket="bkt3-ver"))
        self.s3.put_bucket_versioning(Bucket="bkt3-ver", VersioningConfiguration={"Status": "Enabled"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket="bkt3-ver")["Status"], "Enabled")
        v1 = self.s3.put_object(Bucket="bkt3-ver", Key="k", Body=b"one")["VersionId"]
        v2 = self.s3.put_object(Bucket="bkt3-ver", Key="k", Body=b"two")["VersionId"]
        self.assertNotEqual(v1, v2)
        self.assertEqual(self.s3.get_object(Bucket="bkt3-ver", Key="k")["Body"].read(), b"two")
        self.assertEqual(self.s3.get_object(Bucket="bkt3-ver", Key="k", VersionId=v1)["Body"].read(), b"one")
        d = self.s3.delete_object(Bucket="bkt3-ver", Key="k")
        self.assertTrue(d["DeleteMarker"])
        marker = d["VersionId"]
        r = self.err(self.s3.get_object, Bucket="bkt3-ver", Key="k")
        self.assertEqual(r["Error"]["Code"], "NoSuchKey")
        self.assertEqual(r["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"], "true")
        vers = self.s3.list_object_versions(Bucket="bkt3-ver")
        self.assertEqual([v["VersionId"] for v in vers["Versions"]], [v2, v1])
        self.assertEqual([m["VersionId"] for m in vers["DeleteMarkers"]], [marker])
        self.assertTrue(vers["DeleteMarkers"][0]["IsLatest"])
        self.assertEqual(self.s3.list_objects_v2(Bucket="bkt3-ver")["KeyCount"], 0)
        self.s3.delete_object(Bucket="bkt3-ver", Key="k", VersionId=marker)
        self.assertEqual(self.s3.get_object(Bucket="bkt3-ver", Key="k")["Body"].read(), b"two")
        self.s3.delete_object(Bucket="bkt3-ver", Key="k", VersionId=v2)
        self.assertEqual(self.s3.get_object(Bucket="bkt3-ver", Key="k")["Body"].read(), b"one")

    def test_tagging_policy_cors_lifecycle_encryption(self):
        self.s3.create_bucket(Bucket="bkt3-cfg")
        r = self.err(self.s3.get_bucket_tagging, Bucket="bkt3-cfg")
        self.assertEqual(r["Error"]["Code"], "NoSuchTagSet")
        self.s3.put_bucket_tagging(Bucket="bkt3-cfg", Tagging={"TagSet": [{"Key": "env", "Value": "dev"}]})
        self.assertEqual(self.s3.get_bucket_tagging(Bucket="bkt3-cfg")["TagSet"], [{"Key": "env", "Value": "dev"}])
        self.s3.put_object(Bucket="bkt3-cfg", Key="t", Body=b"x", Tagging="a=1&b=two")
        self.assertEqual(self.s3.head_object(Bucket="bkt3-cfg", Key="t")["ResponseMetadata"]["HTTPHeaders"]
                         ["x-amz-tagging-count"], "2")
        self.s3.put_object_tagging(Bucket="bkt3-cfg", Key="t", Tagging={"TagSet": [{"Key": "c", "Value": "3"}]})
        self.assertEqual(self.s3.get_object_tagging(Bucket="bkt3-cfg", Key="t")["TagSet"], [{"Key": "c", "Value": "3"}])
        self.s3.delete_object_tagging(Bucket="bkt3-cfg", Key="t")
        self.assertEqual(self.s3.get_object_tagging(Bucket="bkt3-cfg", Key="t")["TagSet"], [])
        policy = '{"Version":"2012-10-17","Statement":[]}'
        self.s3.put_bucket_policy(Bucket="bkt3-cfg", Policy=policy)
        self.assertEqual(self.s3.get_bucket_policy(Bucket="bkt3-cfg")["Policy"], policy)
        r = self.err(self.s3.put_bucket_policy, Bucket="bkt3-cfg", Policy="not json")
        self.assertEqual(r["Error"]["Code"], "MalformedPolicy")
        self.s3.put_bucket_encryption(Bucket="bkt3-cfg", ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
        enc = self.s3.get_bucket_encryption(Bucket="bkt3-cfg")
        self.assertEqual(enc["ServerSideEncryptionConfiguration"]["Rules"][0]
                         ["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")
        self.s3.put_bucket_lifecycle_configuration(Bucket="bkt3-cfg", LifecycleConfiguration={
            "Rules": [{"ID": "r1", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
                       "Expiration": {"Days": 1}}]})
        self.assertEqual(self.s3.get_bucket_lifecycle_configuration(Bucket="bkt3-cfg")["Rules"][0]["ID"], "r1")
        self.s3.put_bucket_cors(Bucket="bkt3-cfg", CORSConfiguration={"CORSRules": [
            {"AllowedOrigins": ["http://app.example"], "AllowedMethods": ["GET", "PUT"],
             "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 300}]})
        self.assertEqual(self.s3.get_bucket_cors(Bucket="bkt3-cfg")["CORSRules"][0]["AllowedMethods"], ["GET", "PUT"])
        req = urllib.request.Request(self.server.endpoint + "/bkt3-cfg/t", method="OPTIONS", headers={
            "Origin": "http://app.example", "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "content-type"})
        with urllib.request.urlopen(req) as resp:
            self.assertEqual(resp.headers["Access-Control-Allow-Origin"], "http://app.example")
            self.assertIn("PUT", resp.headers["Access-Control-Allow-Methods"])
            self.assertEqual(resp.headers["Access-Control-Max-Age"], "300")
        bad = urllib.request.Request(self.server.endpoint + "/bkt3-cfg/t", method="OPTIONS", headers={
            "Origin": "http://evil.example", "Access-Control-Request-Method": "GET"})
        with self.assertRaises(urllib.error.HTTPError) as ctx:
            urllib.request.urlopen(bad)
        self.assertEqual(ctx.exception.code, 403)
        get = urllib.request.Request(self.server.endpoint + "/bkt3-cfg/t", headers={"Origin": "http://app.example"})
        with urllib.request.urlopen(get) as resp:
            self.assertEqual(resp.headers["Access-Control-Allow-Origin"], "http://app.example")
            self.assertEqual(resp.headers["Access-Control-Expose-Headers"], "ETag")
        self.s3.delete_bucket_cors(Bucket="bkt3-cfg")
        self.assertEqual(self.err(self.s3.get_bucket_cors, Bucket="bkt3-cfg")["Error"]["Code"],
                         "NoSuchCORSConfiguration")

    def test_virtual_hosted_addressing(self):
        self.s3.put_object(Bucket="bkt3", Key="vh/key.txt", Body=b"virtual")
        for host in ["bkt3.localhost:%d" % self.server.port, "bkt3.s3.localhost.localstack.cloud"]:
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port)
            conn.request("GET", "/vh/key.txt", headers={"Host": host})
            resp = conn.getresponse()
            self.assertEqual((resp.status, resp.read()), (200, b"virtual"), host)
            conn.close()


class S3PersistenceTest(ServerTestCase):
    server_args = []

    @classmethod
    def setUpClass(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        pass

    def test_restart_keeps_every_object_and_cleans_orphans(self):
        with TempDir() as d:
            srv = Server(data_dir=d, ephemeral=False)
            try:
                s3 = srv.client("s3")
                s3.create_bucket(Bucket="keep")
                # Bodies above the inline limit (32 KiB) live in files; small ones in the row.
                for i in range(5):
                    s3.put_object(Bucket="keep", Key="k%d" % i, Body=b"v%d" % i * 20000)
                s3.put_object(Bucket="keep", Key="k0", Body=b"replaced" * 8000)
                s3.delete_object(Bucket="keep", Key="k4")
                s3.put_object(Bucket="keep", Key="small", Body=b"inline body")
            finally:
                srv.kill9()
            # A leftover temp file and an unreferenced body file are orphans.
            open(os.path.join(d, "s3", "tmp", "partial"), "wb").write(b"junk")
            os.makedirs(os.path.join(d, "s3", "obj", "zz"), exist_ok=True)
            open(os.path.join(d, "s3", "obj", "zz", "zzorphan"), "wb").write(b"junk")
            srv = Server(data_dir=d, ephemeral=False)
            try:
                s3 = srv.client("s3")
                keys = [o["Key"] for o in s3.list_objects_v2(Bucket="keep")["Contents"]]
                self.assertEqual(keys, ["k0", "k1", "k2", "k3", "small"])
                self.assertEqual(s3.get_object(Bucket="keep", Key="k0")["Body"].read(),
                                 b"replaced" * 8000)
                self.assertEqual(s3.get_object(Bucket="keep", Key="k3")["Body"].read(), b"v3" * 20000)
                self.assertEqual(s3.get_object(Bucket="keep", Key="small")["Body"].read(),
                                 b"inline body")
                self.assertFalse(os.path.exists(os.path.join(d, "s3", "tmp", "partial")))
                self.assertFalse(os.path.exists(os.path.join(d, "s3", "obj", "zz", "zzorphan")))
                files = [os.path.join(r, f) for r, _, fs in os.walk(os.path.join(d, "s3", "obj"))
                         for f in fs]
                self.assertEqual(len(files), 4)
                # A body cut short (a power failure before it reached the disk): at the next
                # start its row is dropped rather than served.
                k1 = [f for f in files if open(f, "rb").read(2) == b"v1"][0]
            finally:
                s3.close()
                srv.kill9()
            with open(k1, "r+b") as f:
                f.truncate(10)
            srv = Server(data_dir=d, ephemeral=False)
            try:
                s3 = srv.client("s3")
                keys = [o["Key"] for o in s3.list_objects_v2(Bucket="keep")["Contents"]]
                self.assertEqual(keys, ["k0", "k2", "k3", "small"])
            finally:
                s3.close()
                srv.stop()


class S3AuthTest(ServerTestCase):
    server_args = ["--auth", "sigv4", "--credentials", "good:secret"]

    def test_presigned_urls_verified_including_expiry(self):
        good = boto3.client("s3", endpoint_url=self.server.endpoint, region_name="us-east-1",
                            aws_access_key_id="good", aws_secret_access_key="secret")
        good.create_bucket(Bucket="authb")
        good.put_object(Bucket="authb", Key="k", Body=b"secret body")
        url2 = good.generate_presigned_url("get_object", Params={"Bucket": "authb", "Key": "k"})
        self.assertEqual(urllib.request.urlopen(url2).read(), b"secret body")
        tampered = url2.replace("Signature=", "Signature=A")
        with self.assertRaises(urllib.error.HTTPError) as ctx:
            urllib.request.urlopen(tampered)
        self.assertEqual(ctx.exception.code, 403)
        self.assertIn("SignatureDoesNotMatch", ctx.exception.read().decode())
        expired = good.generate_presigned_url("get_object", Params={"Bucket": "authb", "Key": "k"},
                                              ExpiresIn=-10)
        with self.assertRaises(urllib.error.HTTPError) as ctx:
            urllib.request.urlopen(expired)
        self.assertEqual(ctx.exception.code, 403)
        self.assertIn("expired", ctx.exception.read().decode())
        v4 = boto3.client("s3", endpoint_url=self.server.endpoint, region_name="us-east-1",
                          aws_access_key_id="good", aws_secret_access_key="secret",
                          config=Config(signature_version="s3v4"))
        url4 = v4.generate_presigned_url("get_object", Params={"Bucket": "authb", "Key": "k"})
        self.assertEqual(urllib.request.urlopen(url4).read(), b"secret body")
        with self.assertRaises(urllib.error.HTTPError) as ctx:
            urllib.request.urlopen(self.server.endpoint + "/authb/k")
        self.assertEqual(ctx.exception.code, 403)
        self.assertIn("AccessDenied", ctx.exception.read().decode())
        bad = boto3.client("s3", endpoint_url=self.server.endpoint, region_name="us-east-1",
                           aws_access_key_id="good", aws_secret_access_key="wrong")
        with self.assertRaises(ClientError) as ctx:
            bad.get_object(Bucket="authb", Key="k")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        # Browser POST: the policy signature is verified too.
        post = good.generate_presigned_post("authb", "form.txt")
        with S3Boto3Test._post_form(self, post, "form.txt", b"posted") as resp:
            self.assertEqual(resp.status, 204)
        self.assertEqual(good.get_object(Bucket="authb", Key="form.txt")["Body"].read(), b"posted")
        forged = bad.generate_presigned_post("authb", "form.txt")
        with self.assertRaises(urllib.error.HTTPError) as ctx:
            S3Boto3Test._post_form(self, forged, "form.txt", b"forged")
        self.assertEqual(ctx.exception.code, 403)
        for c in (good, v4, bad):
            c.close()


if __name__ == "__main__":
    main()
