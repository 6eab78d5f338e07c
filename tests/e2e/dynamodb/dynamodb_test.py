"""DynamoDB end to end with boto3 (client and resource), the AWS CLI and DynamoDB Streams."""
import concurrent.futures
import decimal
import json
import threading
import time
import unittest
import urllib.request
import zlib

import boto3
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from harness import Server, ServerTestCase, TempDir, main


def make_table(ddb, name, gsi=True, lsi=True, stream=None):
    args = dict(
        TableName=name,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "g", "AttributeType": "S"},
            {"AttributeName": "lsk", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
    )
    if gsi:
        args["GlobalSecondaryIndexes"] = [{
            "IndexName": "by-g",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["v"]},
        }]
    if lsi:
        args["LocalSecondaryIndexes"] = [{
            "IndexName": "by-lsk",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "lsk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }]
    if not gsi and not lsi:
        args["AttributeDefinitions"] = args["AttributeDefinitions"][:2]
    elif not lsi:
        args["AttributeDefinitions"] = args["AttributeDefinitions"][:3]
    if stream:
        args["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream}
    return ddb.create_table(**args)


class DynamoDbTest(ServerTestCase):
    def setUp(self):
        self.clients = []
        self.ddb = self.client("dynamodb")

    def client(self, service):
        c = self.server.client(service)
        self.clients.append(c)
        return c

    def tearDown(self):
        # Close pooled keep-alive connections so the server can stop promptly.
        for c in self.clients:
            c.close()
        self.server.reset()

    def test_crc32_header_matches_body(self):
        make_table(self.ddb, "crc", gsi=False, lsi=False)
        req = urllib.request.Request(
            self.server.endpoint + "/", data=json.dumps({"TableName": "crc"}).encode(),
            headers={"X-Amz-Target": "DynamoDB_20120810.DescribeTable",
                     "Content-Type": "application/x-amz-json-1.0"})
        with urllib.request.urlopen(req) as r:
            body = r.read()
            self.assertEqual(int(r.headers["x-amz-crc32"]), zlib.crc32(body) & 0xFFFFFFFF)
        # Errors carry it too, and are 400 with the documented __type.
        req = urllib.request.Request(
            self.server.endpoint + "/", data=b'{"TableName":"nope"}',
            headers={"X-Amz-Target": "DynamoDB_20120810.DescribeTable",
                     "Content-Type": "application/x-amz-json-1.0"})
        with self.assertRaises(urllib.error.HTTPError) as ctx:
            urllib.request.urlopen(req)
        body = ctx.exception.read()
        self.assertEqual(ctx.exception.code, 400)
        self.assertEqual(int(ctx.exception.headers["x-amz-crc32"]), zlib.crc32(body) & 0xFFFFFFFF)
        self.assertEqual(json.loads(body)["__type"],
                         "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException")

    def test_table_lifecycle(self):
        out = make_table(self.ddb, "life", stream="NEW_AND_OLD_IMAGES")
        self.assertEqual(out["TableDescription"]["TableStatus"], "ACTIVE")
        self.ddb.get_waiter("table_exists").wait(TableName="life")
        d = self.ddb.describe_table(TableName="life")["Table"]
        self.assertEqual(d["GlobalSecondaryIndexes"][0]["IndexStatus"], "ACTIVE")
        self.assertEqual(d["LocalSecondaryIndexes"][0]["IndexName"], "by-lsk")
        self.assertIn("/stream/", d["LatestStreamArn"])
        with self.assertRaises(ClientError) as ctx:
            make_table(self.ddb, "life")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceInUseException")
        for i in range(5):
            make_table(self.ddb, "page%d" % i, gsi=False, lsi=False)
        first = self.ddb.list_tables(Limit=3)
        self.assertEqual(len(first["TableNames"]), 3)
        rest = self.ddb.list_tables(ExclusiveStartTableName=first["LastEvaluatedTableName"])
        self.assertEqual(len(first["TableNames"]) + len(rest["TableNames"]), 6)
        arn = d["TableArn"]
        self.ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
        self.assertEqual(self.ddb.list_tags_of_resource(ResourceArn=arn)["Tags"],
                         [{"Key": "env", "Value": "dev"}])
        self.ddb.untag_resource(ResourceArn=arn, TagKeys=["env"])
        self.assertEqual(self.ddb.list_tags_of_resource(ResourceArn=arn)["Tags"], [])
        self.ddb.update_continuous_backups(
            TableName="life", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
        b = self.ddb.describe_continuous_backups(TableName="life")["ContinuousBackupsDescription"]
        self.assertEqual(b["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "ENABLED")
        u = self.ddb.update_table(TableName="life", BillingMode="PROVISIONED",
                                  ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 7})
        self.assertEqual(u["TableDescription"]["ProvisionedThroughput"]["WriteCapacityUnits"], 7)
        self.assertIn("AccountMaxReadCapacityUnits", self.ddb.describe_limits())
        self.ddb.delete_table(TableName="life")
        with self.assertRaises(ClientError) as ctx:
            self.ddb.describe_table(TableName="life")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_numbers_binary_sets_round_trip(self):
        make_table(self.ddb, "vals", gsi=False, lsi=False)
        self.ddb.put_item(TableName="vals", Item={
            "pk": {"S": "a"}, "sk": {"N": "1.0"}, "n": {"N": "00042.500"},
            "big": {"N": "12345678901234567890123456789012345678"},
            "b": {"B": b"\x00\x01\xff"}, "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2.50"]},
            "m": {"M": {"l": {"L": [{"NULL": True}, {"BOOL": False}]}}}})
        item = self.ddb.get_item(TableName="vals", Key={"pk": {"S": "a"}, "sk": {"N": "1"}})["Item"]
        self.assertEqual(item["n"], {"N": "42.5"})
        self.assertEqual(item["sk"], {"N": "1"})
        self.assertEqual(item["big"], {"N": "12345678901234567890123456789012345678"})
        self.assertEqual(item["b"], {"B": b"\x00\x01\xff"})
        self.assertEqual(sorted(item["ns"]["NS"]), ["1", "2.5"])
        for bad in [{"N": "1e200"}, {"SS": []}, {"SS": ["a", "a"]}, {"N": "abc"},
                    {"N": "123456789012345678901234567890123456789"}]:
            with self.assertRaises(ClientError) as ctx:
                self.ddb.put_item(TableName="vals", Item={"pk": {"S": "a"}, "sk": {"N": "2"}, "x": bad})
            self.assertEqual(ctx.exception.response["Error"]["Code"], "ValidationException")
            self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertNotIn("Item", self.ddb.get_item(TableName="vals", Key={"pk": {"S": "a"}, "sk": {"N": "2"}}))

    def test_conditional_put_and_return_values(self):
        make_table(self.ddb, "cond", gsi=False, lsi=False)
        key = {"pk": {"S": "k"}, "sk": {"N": "1"}}
        self.ddb.put_item(TableName="cond", Item=dict(key, v={"N": "1"}),
                          ConditionExpression="attribute_not_exists(pk)")
        with self.assertRaises(self.ddb.exceptions.ConditionalCheckFailedException) as ctx:
            self.ddb.put_item(TableName="cond", Item=dict(key, v={"N": "2"}),
                              ConditionExpression="attribute_not_exists(pk)",
                              ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertEqual(ctx.exception.response["Item"]["v"], {"N": "1"})
        self.assertEqual(ctx.exception.response["Error"]["Message"], "The conditional request failed")
        old = self.ddb.put_item(TableName="cond", Item=dict(key, v={"N": "3"}), ReturnValues="ALL_OLD")
        self.assertEqual(old["Attributes"]["v"], {"N": "1"})
        up = self.ddb.update_item(TableName="cond", Key=key,
                                  UpdateExpression="SET v = v + :d, #s = :s ADD c :one",
                                  ExpressionAttributeNames={"#s": "status"},
                                  ExpressionAttributeValues={":d": {"N": "10"}, ":s": {"S": "new"},
                                                             ":one": {"N": "1"}},
                                  ReturnValues="UPDATED_NEW")
        self.assertEqual(up["Attributes"], {"v": {"N": "13"}, "status": {"S": "new"}, "c": {"N": "1"}})
        up = self.ddb.update_item(TableName="cond", Key=key, UpdateExpression="REMOVE #s",
                                  ExpressionAttributeNames={"#s": "status"}, ReturnValues="UPDATED_OLD")
        self.assertEqual(up["Attributes"], {"status": {"S": "new"}})
        for kwargs, fragment in [
            (dict(UpdateExpression="SET status = :s", ExpressionAttributeValues={":s": {"S": "x"}}),
             "reserved keyword"),
            (dict(UpdateExpression="SET a = :s", ExpressionAttributeValues={":s": {"S": "x"}, ":u": {"S": "y"}}),
             "unused in expressions"),
            (dict(UpdateExpression="SET a = :nope", ExpressionAttributeValues={":s": {"S": "x"}}),
             "not defined"),
            (dict(UpdateExpression="SET a = :s, a.b = :s", ExpressionAttributeValues={":s": {"S": "x"}}),
             "overlap"),
        ]:
            with self.assertRaises(ClientError) as ctx:
                self.ddb.update_item(TableName="cond", Key=key, **kwargs)
            self.assertEqual(ctx.exception.response["Error"]["Code"], "ValidationException")
            self.assertIn(fragment, ctx.exception.response["Error"]["Message"])
        d = self.ddb.delete_item(TableName="cond", Key=key, ReturnValues="ALL_OLD")
        self.assertEqual(d["Attributes"]["v"], {"N": "13"})

    def test_item_collection_metrics(self):
        make_table(self.ddb, "coll")
        make_table(self.ddb, "plain", gsi=False, lsi=False)
        item = {"pk": {"S": "k"}, "sk": {"N": "1"}, "lsk": {"S": "x"}}
        r = self.ddb.put_item(TableName="coll", Item=item, ReturnItemCollectionMetrics="SIZE")
        m = r["ItemCollectionMetrics"]
        self.assertEqual(m["ItemCollectionKey"], {"pk": {"S": "k"}})
        self.assertEqual(len(m["SizeEstimateRangeGB"]), 2)
        self.assertLess(m["SizeEstimateRangeGB"][0], m["SizeEstimateRangeGB"][1])
        # Without a local secondary index AWS omits it, even when asked.
        r = self.ddb.put_item(TableName="plain", Item={"pk": {"S": "k"}, "sk": {"N": "1"}},
                              ReturnItemCollectionMetrics="SIZE")
        self.assertNotIn("ItemCollectionMetrics", r)

    def test_resource_api_batch_writer_and_conditions(self):
        make_table(self.ddb, "res")
        res = boto3.resource("dynamodb", endpoint_url=self.server.endpoint, region_name="us-east-1",
                             aws_access_key_id="test", aws_secret_access_key="test")
        self.clients.append(res.meta.client)
        table = res.Table("res")
        with table.batch_writer() as bw:
            for i in range(60):
                bw.put_item(Item={"pk": "p%d" % (i % 3), "sk": i, "g": "even" if i % 2 == 0 else "odd",
                                  "lsk": "l%03d" % (100 - i), "v": decimal.Decimal(i) / 2, "other": "o"})
        r = table.query(KeyConditionExpression=Key("pk").eq("p0") & Key("sk").between(10, 30),
                        FilterExpression=Attr("v").gt(6))
        self.assertEqual([int(i["sk"]) for i in r["Items"]], [15, 18, 21, 24, 27, 30])
        self.assertEqual(r["ScannedCount"], 7)
        r = table.query(IndexName="by-g", KeyConditionExpression=Key("g").eq("odd") & Key("sk").lt(10),
                        ScanIndexForward=False)
        self.assertEqual([int(i["sk"]) for i in r["Items"]], [9, 7, 5, 3, 1])
        self.assertEqual(set(r["Items"][0].keys()), {"pk", "sk", "g", "v"})  # INCLUDE projection
        r = table.query(IndexName="by-lsk", KeyConditionExpression=Key("pk").eq("p1") & Key("lsk").begins_with("l09"))
        self.assertEqual([i["lsk"] for i in r["Items"]], ["l090", "l093", "l096", "l099"])
        self.assertEqual(r["Items"][0]["other"], "o")
        c = table.scan(Select="COUNT", FilterExpression=Attr("g").eq("even"))
        self.assertEqual(c["Count"], 30)
        self.assertNotIn("Items", c)
        p = table.get_item(Key={"pk": "p0", "sk": 3}, ProjectionExpression="v, #g",
                           ExpressionAttributeNames={"#g": "g"})["Item"]
        self.assertEqual(p, {"v": decimal.Decimal("1.5"), "g": "odd"})
        got = self.ddb.batch_get_item(RequestItems={"res": {"Keys": [
            {"pk": {"S": "p0"}, "sk": {"N": "0"}}, {"pk": {"S": "p1"}, "sk": {"N": "1"}},
            {"pk": {"S": "zz"}, "sk": {"N": "1"}}]}})
        self.assertEqual(len(got["Responses"]["res"]), 2)
        self.assertEqual(got["UnprocessedKeys"], {})
        with self.assertRaises(ClientError):
            self.ddb.batch_write_item(RequestItems={"res": [
                {"PutRequest": {"Item": {"pk": {"S": "d"}, "sk": {"N": "1"}}}},
                {"PutRequest": {"Item": {"pk": {"S": "d"}, "sk": {"N": "1"}}}}]})

    def test_paging_10000_items(self):
        make_table(self.ddb, "many", gsi=False, lsi=False)
        res = boto3.resource("dynamodb", endpoint_url=self.server.endpoint, region_name="us-east-1",
                             aws_access_key_id="test", aws_secret_access_key="test")
        self.clients.append(res.meta.client)
        table = res.Table("many")
        with table.batch_writer() as bw:
            for i in range(10000):
                bw.put_item(Item={"pk": "p%d" % (i % 7), "sk": i, "pad": "x" * 200})
        pages = list(self.ddb.get_paginator("scan").paginate(TableName="many"))
        self.assertGreater(len(pages), 1)  # 1 MB pages
        self.assertEqual(sum(p["Count"] for p in pages), 10000)
        keys = {(i["pk"]["S"], i["sk"]["N"]) for p in pages for i in p["Items"]}
        self.assertEqual(len(keys), 10000)
        q = list(self.ddb.get_paginator("query").paginate(
            TableName="many", KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "p3"}}, PaginationConfig={"PageSize": 100}))
        sks = [int(i["sk"]["N"]) for p in q for i in p["Items"]]
        self.assertEqual(sks, sorted(sks))
        self.assertEqual(len(sks), len([i for i in range(10000) if i % 7 == 3]))
        seg = 0
        for s in range(3):
            seg += sum(p["Count"] for p in self.ddb.get_paginator("scan").paginate(
                TableName="many", Segment=s, TotalSegments=3))
        self.assertEqual(seg, 10000)

    def test_sixteen_concurrent_conditional_puts_one_winner(self):
        make_table(self.ddb, "race", gsi=False, lsi=False)
        barrier = threading.Barrier(16)

        def attempt(n):
            c = self.client("dynamodb")
            barrier.wait()
            try:
                c.put_item(TableName="race", Item={"pk": {"S": "one"}, "sk": {"N": "1"}, "w": {"N": str(n)}},
                           ConditionExpression="attribute_not_exists(pk)")
                return True
            except c.exceptions.ConditionalCheckFailedException:
                return False

        with concurrent.futures.ThreadPoolExecutor(16) as ex:
            results = list(ex.map(attempt, range(16)))
        self.assertEqual(results.count(True), 1)

    def test_transactions(self):
        make_table(self.ddb, "txn", gsi=False, lsi=False)
        self.ddb.put_item(TableName="txn", Item={"pk": {"S": "acct"}, "sk": {"N": "1"}, "bal": {"N": "10"}})
        with self.assertRaises(self.ddb.exceptions.TransactionCanceledException) as ctx:
            self.ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": "txn", "Item": {"pk": {"S": "new"}, "sk": {"N": "1"}}}},
                {"Update": {"TableName": "txn", "Key": {"pk": {"S": "acct"}, "sk": {"N": "1"}},
                            "UpdateExpression": "SET bal = bal - :x", "ConditionExpression": "bal >= :x",
                            "ExpressionAttributeValues": {":x": {"N": "50"}}}}])
        reasons = ctx.exception.response["CancellationReasons"]
        self.assertEqual([r["Code"] for r in reasons], ["None", "ConditionalCheckFailed"])
        self.assertNotIn("Item", self.ddb.get_item(TableName="txn", Key={"pk": {"S": "new"}, "sk": {"N": "1"}}))
        self.ddb.transact_write_items(ClientRequestToken="t-1", TransactItems=[
            {"Put": {"TableName": "txn", "Item": {"pk": {"S": "new"}, "sk": {"N": "1"}}}},
            {"Update": {"TableName": "txn", "Key": {"pk": {"S": "acct"}, "sk": {"N": "1"}},
                        "UpdateExpression": "SET bal = bal - :x", "ConditionExpression": "bal >= :x",
                        "ExpressionAttributeValues": {":x": {"N": "4"}}}},
            {"ConditionCheck": {"TableName": "txn", "Key": {"pk": {"S": "acct"}, "sk": {"N": "1"}},
                                "ConditionExpression": "attribute_exists(bal)"}}] [:2])
        got = self.ddb.transact_get_items(TransactItems=[
            {"Get": {"TableName": "txn", "Key": {"pk": {"S": "acct"}, "sk": {"N": "1"}}}},
            {"Get": {"TableName": "txn", "Key": {"pk": {"S": "none"}, "sk": {"N": "1"}}}}])
        self.assertEqual(got["Responses"][0]["Item"]["bal"], {"N": "6"})
        self.assertEqual(got["Responses"][1], {})

    def test_ttl_and_streams(self):
        make_table(self.ddb, "ttl", gsi=False, lsi=False, stream="NEW_AND_OLD_IMAGES")
        out = self.ddb.update_time_to_live(TableName="ttl", TimeToLiveSpecification={
            "Enabled": True, "AttributeName": "exp"})
        self.assertEqual(out["TimeToLiveSpecification"], {"Enabled": True, "AttributeName": "exp"})
        now = int(time.time())
        self.ddb.put_item(TableName="ttl", Item={"pk": {"S": "gone"}, "sk": {"N": "1"}, "exp": {"N": str(now - 5)}})
        self.ddb.put_item(TableName="ttl", Item={"pk": {"S": "soon"}, "sk": {"N": "1"}, "exp": {"N": str(now + 1)}})
        self.ddb.update_item(TableName="ttl", Key={"pk": {"S": "soon"}, "sk": {"N": "1"}},
                             UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": {"N": "1"}})
        self.assertNotIn("Item", self.ddb.get_item(TableName="ttl", Key={"pk": {"S": "gone"}, "sk": {"N": "1"}}))
        deadline = time.time() + 8
        while time.time() < deadline:
            if self.ddb.scan(TableName="ttl")["Count"] == 0 and \
                    self.ddb.describe_table(TableName="ttl")["Table"]["ItemCount"] == 0:
                break
            time.sleep(0.2)
        self.assertEqual(self.ddb.describe_table(TableName="ttl")["Table"]["ItemCount"], 0)
        streams = self.client("dynamodbstreams")
        arn = streams.list_streams(TableName="ttl")["Streams"][0]["StreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        recs = streams.get_records(ShardIterator=it)["Records"]
        names = [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in recs]
        self.assertEqual(names[:3], [("INSERT", "gone"), ("INSERT", "soon"), ("MODIFY", "soon")])
        removes = [r for r in recs if r["eventName"] == "REMOVE"]
        self.assertEqual(sorted(r["dynamodb"]["Keys"]["pk"]["S"] for r in removes), ["gone", "soon"])
        for r in removes:
            self.assertEqual(r["userIdentity"], {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"})
        self.assertEqual(recs[2]["dynamodb"]["OldImage"]["exp"], {"N": str(now + 1)})
        seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in recs]
        self.assertEqual(seqs, sorted(seqs))
        # AFTER_SEQUENCE_NUMBER resumes after a record; LATEST sees only new changes.
        it2 = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                         SequenceNumber=recs[0]["dynamodb"]["SequenceNumber"])["ShardIterator"]
        self.assertEqual(len(streams.get_records(ShardIterator=it2)["Records"]), len(recs) - 1)
        latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
        self.ddb.put_item(TableName="ttl", Item={"pk": {"S": "after"}, "sk": {"N": "1"}})
        got = streams.get_records(ShardIterator=latest)["Records"]
        self.assertEqual([r["dynamodb"]["NewImage"]["pk"]["S"] for r in got], ["after"])

    def test_cli(self):
        a = self.server.aws
        a("dynamodb", "create-table", "--table-name", "cli", "--attribute-definitions",
          "AttributeName=id,AttributeType=S", "--key-schema", "AttributeName=id,KeyType=HASH",
          "--billing-mode", "PAY_PER_REQUEST")
        a("dynamodb", "put-item", "--table-name", "cli", "--item", '{"id":{"S":"1"},"n":{"N":"1.50"}}')
        got = a("dynamodb", "get-item", "--table-name", "cli", "--key", '{"id":{"S":"1"}}')
        self.assertEqual(got["Item"]["n"], {"N": "1.5"})
        r = a("dynamodb", "put-item", "--table-name", "cli", "--item", '{"id":{"S":"1"}}',
              "--condition-expression", "attribute_not_exists(id)", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ConditionalCheckFailedException", r.stderr)
        r = a("dynamodb", "query", "--table-name", "cli", "--key-condition-expression", "nope = :v",
              "--expression-attribute-values", '{":v":{"S":"1"}}', check=False)
        self.assertIn("ValidationException", r.stderr)


class DynamoDbRestartTest(unittest.TestCase):
    def test_restart_keeps_data(self):
        with TempDir() as d:
            s = Server(data_dir=d, ephemeral=False)
            try:
                c = s.client("dynamodb")
                make_table(c, "keep", stream="KEYS_ONLY")
                for i in range(20):
                    c.put_item(TableName="keep", Item={"pk": {"S": "p"}, "sk": {"N": str(i)}, "g": {"S": "x"}})
                c.close()
            finally:
                s.stop()
            s = Server(data_dir=d, ephemeral=False)
            try:
                c = s.client("dynamodb")
                self.assertEqual(c.scan(TableName="keep")["Count"], 20)
                r = c.query(TableName="keep", IndexName="by-g", KeyConditionExpression="g = :g",
                            ExpressionAttributeValues={":g": {"S": "x"}})
                self.assertEqual(r["Count"], 20)
                self.assertEqual(c.describe_table(TableName="keep")["Table"]["ItemCount"], 20)
                c.close()
            finally:
                s.stop()


if __name__ == "__main__":
    main()
