"""S3 with the unmodified AWS CLI: mb/cp/ls/sync/rm/presign and s3api calls (PROTOCOLS.md §4.3)."""
import filecmp
import hashlib
import json
import os
import subprocess
import tempfile
import urllib.request

from harness import ServerTestCase, TempDir, main


def cli(server, *args):
    """Runs a high-level `aws s3` command (text output); returns stdout."""
    r = subprocess.run(["aws", "--endpoint-url", server.endpoint] + list(args),
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError("aws %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


class S3CliTest(ServerTestCase):
    def setUp(self):
        self.s3 = self.server.client("s3")

    def test_cp_multipart_roundtrip_and_etag(self):
        cli(self.server, "s3", "mb", "s3://cli-mp")
        with TempDir() as d:
            src = os.path.join(d, "big.bin")
            data = os.urandom(20 * 1024 * 1024 + 123)
            with open(src, "wb") as f:
                f.write(data)
            cli(self.server, "s3", "cp", src, "s3://cli-mp/dir/big.bin")
            head = self.s3.head_object(Bucket="cli-mp", Key="dir/big.bin")
            self.assertEqual(head["ContentLength"], len(data))
            # 8 MiB parts: md5 of the concatenated binary part md5s, "-3".
            md5s = b"".join(hashlib.md5(data[i:i + 8 * 1024 * 1024]).digest()
                            for i in range(0, len(data), 8 * 1024 * 1024))
            self.assertEqual(head["ETag"], '"%s-3"' % hashlib.md5(md5s).hexdigest())
            dst = os.path.join(d, "back.bin")
            cli(self.server, "s3", "cp", "s3://cli-mp/dir/big.bin", dst)
            self.assertTrue(filecmp.cmp(src, dst, shallow=False))

    def test_small_cp_does_not_stall_on_expect_continue(self):
        cli(self.server, "s3", "mb", "s3://cli-small")
        with TempDir() as d:
            paths = []
            for i in range(4):
                p = os.path.join(d, "f%d.txt" % i)
                with open(p, "w") as f:
                    f.write("x" * (i + 1))
                paths.append(p)
            # The interim 100 itself is asserted on a raw socket in s3_boto3_test.py; here the
            # CLI's Expect: 100-continue uploads must all land (no timing assertion).
            cli(self.server, "s3", "cp", d, "s3://cli-small/p/", "--recursive")
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket="cli-small")["Contents"]]
        self.assertEqual(keys, ["p/f0.txt", "p/f1.txt", "p/f2.txt", "p/f3.txt"])

    def test_sync_both_ways_and_rm_recursive(self):
        cli(self.server, "s3", "mb", "s3://cli-sync")
        with TempDir() as d:
            os.makedirs(os.path.join(d, "a", "b"))
            files = {"top.txt": b"top", "a/one.txt": b"one", "a/b/two.txt": b"two",
                     "sp ace+plus.txt": b"odd"}
            for k, v in files.items():
                with open(os.path.join(d, k), "wb") as f:
                    f.write(v)
            cli(self.server, "s3", "sync", d, "s3://cli-sync/s/")
            listed = self.s3.list_objects_v2(Bucket="cli-sync", Prefix="s/")
            self.assertEqual(sorted(o["Key"] for o in listed["Contents"]),
                             sorted("s/" + k for k in files))
            # A second sync uploads nothing (LastModified in UTC, byte-sorted listing).
            r = subprocess.run(["aws", "--endpoint-url", self.server.endpoint, "s3", "sync", d,
                                "s3://cli-sync/s/"], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("upload:", r.stdout)
            with TempDir() as back:
                cli(self.server, "s3", "sync", "s3://cli-sync/s/", back)
                for k, v in files.items():
                    with open(os.path.join(back, k), "rb") as f:
                        self.assertEqual(f.read(), v)
            out = subprocess.run(["aws", "--endpoint-url", self.server.endpoint, "s3", "ls",
                                  "s3://cli-sync/s/"], capture_output=True, text=True).stdout
            self.assertIn("PRE a/", out)
            self.assertIn("top.txt", out)
            cli(self.server, "s3", "rm", "s3://cli-sync/s/", "--recursive")
            self.assertEqual(self.s3.list_objects_v2(Bucket="cli-sync")["KeyCount"], 0)
            cli(self.server, "s3", "rb", "s3://cli-sync")

    def test_presign_then_plain_http_get(self):
        cli(self.server, "s3", "mb", "s3://cli-presign")
        self.s3.put_object(Bucket="cli-presign", Key="k y.txt", Body=b"presigned body")
        r = subprocess.run(["aws", "--endpoint-url", self.server.endpoint, "s3", "presign",
                            "s3://cli-presign/k y.txt"], capture_output=True, text=True)
        url = r.stdout.strip()
        self.assertIn("Signature=", url)
        with urllib.request.urlopen(url) as resp:
            self.assertEqual(resp.read(), b"presigned body")

    def test_s3api_calls_and_errors(self):
        out = self.server.aws("s3api", "create-bucket", "--bucket", "cli-api",
                              "--create-bucket-configuration", "LocationConstraint=eu-west-1")
        self.assertEqual(out["Location"], "/cli-api")
        loc = self.server.aws("s3api", "get-bucket-location", "--bucket", "cli-api")
        self.assertEqual(loc["LocationConstraint"], "eu-west-1")
        r = self.server.aws("s3api", "create-bucket", "--bucket", "cli-api",
                            "--create-bucket-configuration", "LocationConstraint=eu-west-1",
                            check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("BucketAlreadyOwnedByYou", r.stderr)
        self.server.aws("s3api", "put-object", "--bucket", "cli-api", "--key", "a", "--body",
                        __file__, "--metadata", "color=blue", "--content-type", "text/x-python")
        head = self.server.aws("s3api", "head-object", "--bucket", "cli-api", "--key", "a")
        self.assertEqual(head["Metadata"], {"color": "blue"})
        self.assertEqual(head["ContentType"], "text/x-python")
        deleted = self.server.aws("s3api", "delete-objects", "--bucket", "cli-api", "--delete",
                                  json.dumps({"Objects": [{"Key": "a"}, {"Key": "missing"}]}))
        self.assertEqual(sorted(d["Key"] for d in deleted["Deleted"]), ["a", "missing"])
        r = self.server.aws("s3api", "get-object", "--bucket", "cli-api", "--key", "a",
                            "/dev/null", check=False)
        self.assertIn("NoSuchKey", r.stderr)
        r = self.server.aws("s3api", "create-bucket", "--bucket", "Bad_Name", check=False)
        self.assertIn("InvalidBucketName", r.stderr)


if __name__ == "__main__":
    main()
