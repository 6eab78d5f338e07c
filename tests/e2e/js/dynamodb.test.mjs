// DynamoDB with the unmodified AWS SDK for JavaScript v3 (client-dynamodb, lib-dynamodb,
// client-dynamodb-streams).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  DynamoDBClient, CreateTableCommand, DescribeTableCommand, ConditionalCheckFailedException,
  TransactionCanceledException, ResourceNotFoundException, PutItemCommand, UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, QueryCommand, UpdateCommand, DeleteCommand,
  TransactWriteCommand, BatchWriteCommand, BatchGetCommand, ScanCommand, paginateQuery,
} from "@aws-sdk/lib-dynamodb";
import {
  DynamoDBStreamsClient, DescribeStreamCommand, GetShardIteratorCommand, GetRecordsCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { startServer, clientConfig } from "./harness.mjs";

let server, client, doc, streams;

before(async () => {
  server = await startServer();
  client = new DynamoDBClient(clientConfig(server.endpoint));
  doc = DynamoDBDocumentClient.from(client);
  streams = new DynamoDBStreamsClient(clientConfig(server.endpoint));
  await client.send(new CreateTableCommand({
    TableName: "events",
    AttributeDefinitions: [
      { AttributeName: "id", AttributeType: "S" },
      { AttributeName: "ts", AttributeType: "N" },
      { AttributeName: "status", AttributeType: "S" },
    ],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }, { AttributeName: "ts", KeyType: "RANGE" }],
    GlobalSecondaryIndexes: [{
      IndexName: "by-status",
      KeySchema: [{ AttributeName: "status", KeyType: "HASH" }, { AttributeName: "ts", KeyType: "RANGE" }],
      Projection: { ProjectionType: "ALL" },
    }],
    BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
  }));
});

after(async () => {
  client.destroy();
  streams.destroy();
  await server.stop();
});

test("describe table has epoch-number timestamps and ACTIVE status", async () => {
  const d = await client.send(new DescribeTableCommand({ TableName: "events" }));
  assert.equal(d.Table.TableStatus, "ACTIVE");
  assert.ok(d.Table.CreationDateTime instanceof Date);
  assert.ok(!Number.isNaN(d.Table.CreationDateTime.getTime()));
  await assert.rejects(client.send(new DescribeTableCommand({ TableName: "missing" })),
    (e) => e instanceof ResourceNotFoundException && e.$metadata.httpStatusCode === 400);
});

test("document client put/get/update/delete with native types", async () => {
  await doc.send(new PutCommand({
    TableName: "events",
    Item: { id: "e1", ts: 1, status: "NEW", tags: new Set(["a", "b"]), nested: { list: [1, "two", null] } },
  }));
  const got = await doc.send(new GetCommand({ TableName: "events", Key: { id: "e1", ts: 1 } }));
  assert.deepEqual(got.Item.nested, { list: [1, "two", null] });
  assert.deepEqual([...got.Item.tags].sort(), ["a", "b"]);
  const up = await doc.send(new UpdateCommand({
    TableName: "events", Key: { id: "e1", ts: 1 },
    UpdateExpression: "SET #s = :s, attempts = if_not_exists(attempts, :zero) + :one",
    ExpressionAttributeNames: { "#s": "status" },
    ExpressionAttributeValues: { ":s": "DONE", ":zero": 0, ":one": 1 },
    ReturnValues: "ALL_NEW",
  }));
  assert.equal(up.Attributes.status, "DONE");
  assert.equal(up.Attributes.attempts, 1);
  await assert.rejects(
    doc.send(new PutCommand({ TableName: "events", Item: { id: "e1", ts: 1 }, ConditionExpression: "attribute_not_exists(id)" })),
    (e) => e instanceof ConditionalCheckFailedException && e.name === "ConditionalCheckFailedException");
  await assert.rejects(
    client.send(new PutItemCommand({ TableName: "events", Item: { id: { S: "x" } } })),
    (e) => e.name === "ValidationException" && /Missing the key ts/.test(e.message));
  const del = await doc.send(new DeleteCommand({ TableName: "events", Key: { id: "e1", ts: 1 }, ReturnValues: "ALL_OLD" }));
  assert.equal(del.Attributes.status, "DONE");
});

test("batch write, GSI query with pagination, batch get", async () => {
  for (let b = 0; b < 4; b++) {
    const items = [];
    for (let i = 0; i < 25; i++) {
      const n = b * 25 + i;
      items.push({ PutRequest: { Item: { id: `b${n}`, ts: n, status: n % 2 ? "ODD" : "EVEN" } } });
    }
    const r = await doc.send(new BatchWriteCommand({ RequestItems: { events: items } }));
    assert.deepEqual(r.UnprocessedItems, {});
  }
  const seen = [];
  for await (const page of paginateQuery({ client: doc, pageSize: 7 }, {
    TableName: "events", IndexName: "by-status",
    KeyConditionExpression: "#s = :s AND ts BETWEEN :lo AND :hi",
    ExpressionAttributeNames: { "#s": "status" },
    ExpressionAttributeValues: { ":s": "ODD", ":lo": 10, ":hi": 60 },
  })) {
    for (const it of page.Items) seen.push(it.ts);
  }
  const want = [];
  for (let n = 11; n <= 59; n += 2) want.push(n);
  assert.deepEqual(seen, want);
  const bg = await doc.send(new BatchGetCommand({ RequestItems: { events: { Keys: [{ id: "b1", ts: 1 }, { id: "b2", ts: 2 }] } } }));
  assert.equal(bg.Responses.events.length, 2);
  const count = await doc.send(new ScanCommand({ TableName: "events", Select: "COUNT" }));
  assert.equal(count.Count, 100);
  assert.equal(count.Items, undefined);
});

test("transaction cancellation reasons in order", async () => {
  await doc.send(new PutCommand({ TableName: "events", Item: { id: "t1", ts: 1, n: 1 } }));
  await assert.rejects(doc.send(new TransactWriteCommand({
    TransactItems: [
      { ConditionCheck: { TableName: "events", Key: { id: "t1", ts: 1 }, ConditionExpression: "n = :n", ExpressionAttributeValues: { ":n": 1 } } },
      { Put: { TableName: "events", Item: { id: "t2", ts: 1 }, ConditionExpression: "attribute_exists(id)" } },
    ],
  })), (e) => {
    assert.ok(e instanceof TransactionCanceledException);
    assert.deepEqual(e.CancellationReasons.map((r) => r.Code), ["None", "ConditionalCheckFailed"]);
    return true;
  });
  const got = await doc.send(new GetCommand({ TableName: "events", Key: { id: "t2", ts: 1 } }));
  assert.equal(got.Item, undefined);
});

test("stream records every change in order", async () => {
  const d = await client.send(new DescribeTableCommand({ TableName: "events" }));
  const arn = d.Table.LatestStreamArn;
  const desc = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  const shard = desc.StreamDescription.Shards[0].ShardId;
  const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: "LATEST" }));
  for (let i = 0; i < 5; i++) await doc.send(new PutCommand({ TableName: "events", Item: { id: "s", ts: i } }));
  await doc.send(new DeleteCommand({ TableName: "events", Key: { id: "s", ts: 0 } }));
  const r = await streams.send(new GetRecordsCommand({ ShardIterator }));
  assert.deepEqual(r.Records.map((x) => x.eventName), ["INSERT", "INSERT", "INSERT", "INSERT", "INSERT", "REMOVE"]);
  assert.deepEqual(r.Records.slice(0, 5).map((x) => Number(x.dynamodb.NewImage.ts.N)), [0, 1, 2, 3, 4]);
  assert.ok(r.Records[0].dynamodb.ApproximateCreationDateTime instanceof Date);
  assert.ok(r.NextShardIterator);
});

test("TTL hides expired items at once", async () => {
  await client.send(new UpdateTimeToLiveCommand({ TableName: "events", TimeToLiveSpecification: { Enabled: true, AttributeName: "expires" } }));
  const past = Math.floor(Date.now() / 1000) - 60;
  await doc.send(new PutCommand({ TableName: "events", Item: { id: "ttl", ts: 1, expires: past } }));
  const got = await doc.send(new GetCommand({ TableName: "events", Key: { id: "ttl", ts: 1 } }));
  assert.equal(got.Item, undefined);
  const q = await doc.send(new QueryCommand({ TableName: "events", KeyConditionExpression: "id = :i", ExpressionAttributeValues: { ":i": "ttl" } }));
  assert.equal(q.Count, 0);
});
