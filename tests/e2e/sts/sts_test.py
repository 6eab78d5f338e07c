"""STS GetCallerIdentity with the AWS CLI and boto3 (PROTOCOLS.md §7)."""
import json
import urllib.request

import boto3

from harness import ServerTestCase, main


class StsTest(ServerTestCase):
    def test_cli_get_caller_identity(self):
        out = self.server.aws("sts", "get-caller-identity")
        self.assertEqual(out["Account"], "000000000000")
        self.assertEqual(out["Arn"], "arn:aws:iam::000000000000:root")

    def test_boto3_other_region_and_key(self):
        sts = boto3.client("sts", endpoint_url=self.server.endpoint, region_name="eu-west-1",
                           aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="x")
        out = sts.get_caller_identity()
        self.assertEqual(out["Account"], "000000000000")
        self.assertEqual(out["UserId"], "000000000000")

    def test_presigned_get_form(self):
        # Token helpers presign GetCallerIdentity as a GET with Action/Version in the query.
        url = self.server.endpoint + "/?Action=GetCallerIdentity&Version=2011-06-15"
        body = urllib.request.urlopen(url).read().decode()
        self.assertIn("<GetCallerIdentityResult>", body)
        self.assertIn("<Account>000000000000</Account>", body)

    def test_health_shapes(self):
        h = json.loads(urllib.request.urlopen(self.server.endpoint + "/_edastack/health").read())
        self.assertEqual(h["status"], "ok")
        self.assertIn("sts", h["services"])
        ls = json.loads(urllib.request.urlopen(self.server.endpoint + "/_localstack/health").read())
        self.assertEqual(ls["services"]["sts"], "running")


class StsAuthTest(ServerTestCase):
    server_args = ["--auth", "sigv4", "--credentials", "good:secret"]

    def test_right_secret_passes_wrong_one_gets_signature_error(self):
        ok = boto3.client("sts", endpoint_url=self.server.endpoint, region_name="us-east-1",
                          aws_access_key_id="good", aws_secret_access_key="secret")
        self.assertEqual(ok.get_caller_identity()["Account"], "000000000000")
        bad = boto3.client("sts", endpoint_url=self.server.endpoint, region_name="us-east-1",
                           aws_access_key_id="good", aws_secret_access_key="wrong")
        with self.assertRaises(Exception) as ctx:
            bad.get_caller_identity()
        self.assertEqual(ctx.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        unknown = boto3.client("sts", endpoint_url=self.server.endpoint, region_name="us-east-1",
                               aws_access_key_id="nobody", aws_secret_access_key="secret")
        with self.assertRaises(Exception) as ctx:
            unknown.get_caller_identity()
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidClientTokenId")


if __name__ == "__main__":
    main()
