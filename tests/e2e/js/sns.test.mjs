// SNS with the unmodified AWS SDK for JavaScript v3: filtered fan-out to SQS, raw delivery,
// PublishBatch partial failure, modeled errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand, PublishBatchCommand,
  GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, NotFoundException,
  InvalidParameterException,
} from "@aws-sdk/client-sns";
import {
  SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand,
  DeleteMessageCommand,
} from "@aws-sdk/client-sqs";
import { startServer, clientConfig } from "./harness.mjs";

let server, sns, sqs;

before(async () => {
  server = await startServer();
  sns = new SNSClient(clientConfig(server.endpoint));
  sqs = new SQSClient(clientConfig(server.endpoint));
});
after(async () => {
  sns.destroy();
  sqs.destroy();
  await server.stop();
});

async function makeQueue(name) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl, arn: Attributes.QueueArn };
}

async function drain(url, expect) {
  const out = [];
  const deadline = Date.now() + 5000;
  while (out.length < expect && Date.now() < deadline) {
    const r = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ["All"],
    }));
    for (const m of r.Messages ?? []) {
      out.push(m);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  assert.equal(out.length, expect, "message count");
  const extra = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
  assert.equal((extra.Messages ?? []).length, 0, "unexpected extra messages");
  return out;
}

test("filtered fan-out, raw and envelope delivery", async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "js-topic" }));
  assert.match(TopicArn, /^arn:aws:sns:us-east-1:000000000000:js-topic$/);
  const red = await makeQueue("js-red");
  const all = await makeQueue("js-all");
  await sns.send(new SubscribeCommand({
    TopicArn, Protocol: "sqs", Endpoint: red.arn,
    Attributes: { FilterPolicy: JSON.stringify({ color: ["red"] }), RawMessageDelivery: "true" },
  }));
  const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: all.arn }));
  assert.match(sub.SubscriptionArn, /^arn:aws:sns:.*:js-topic:/);
  const attr = (v) => ({ color: { DataType: "String", StringValue: v } });
  const p1 = await sns.send(new PublishCommand({ TopicArn, Message: "r", MessageAttributes: attr("red") }));
  assert.ok(p1.MessageId);
  await sns.send(new PublishCommand({ TopicArn, Message: "b", MessageAttributes: attr("blue") }));

  const reds = await drain(red.url, 1);
  assert.equal(reds[0].Body, "r");
  assert.equal(reds[0].MessageAttributes.color.StringValue, "red");
  const alls = await drain(all.url, 2);
  const bodies = alls.map((m) => JSON.parse(m.Body)).sort((a, b) => a.Message.localeCompare(b.Message));
  assert.deepEqual(bodies.map((b) => b.Message), ["b", "r"]);
  assert.equal(bodies[1].MessageId, p1.MessageId);
  assert.equal(bodies[1].Type, "Notification");
  assert.deepEqual(bodies[1].MessageAttributes.color, { Type: "String", Value: "red" });

  const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
  assert.equal(Attributes.SubscriptionsConfirmed, "2");
  const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
  assert.equal(Subscriptions.length, 2);
});

test("PublishBatch reports partial failures", async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "js-batch" }));
  const r = await sns.send(new PublishBatchCommand({
    TopicArn,
    PublishBatchRequestEntries: [
      { Id: "a", Message: "ok" },
      { Id: "b", Message: "x", MessageStructure: "json" },
    ],
  }));
  assert.deepEqual(r.Successful.map((s) => s.Id), ["a"]);
  assert.equal(r.Failed.length, 1);
  assert.equal(r.Failed[0].Id, "b");
  assert.equal(r.Failed[0].Code, "InvalidParameter");
  assert.equal(r.Failed[0].SenderFault, true);
});

test("modeled errors", async () => {
  await assert.rejects(
    sns.send(new PublishCommand({ TopicArn: "arn:aws:sns:us-east-1:000000000000:missing", Message: "x" })),
    (e) => e instanceof NotFoundException && e.$metadata.httpStatusCode === 404);
  await assert.rejects(
    sns.send(new CreateTopicCommand({ Name: "bad name" })),
    (e) => e instanceof InvalidParameterException && e.$metadata.httpStatusCode === 400);
});
