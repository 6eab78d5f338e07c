// SQS with the unmodified AWS SDK for JavaScript v3 (its MD5 checks stay on).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  SQSClient,
  CreateQueueCommand,
  SendMessageCommand,
  SendMessageBatchCommand,
  ReceiveMessageCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  GetQueueAttributesCommand,
  QueueDoesNotExist,
} from "@aws-sdk/client-sqs";
import { startServer, clientConfig } from "./harness.mjs";

let server;
let sqs;

before(async () => {
  server = await startServer();
  sqs = new SQSClient(clientConfig(server.endpoint));
});

after(async () => {
  sqs.destroy();
  await server.stop();
});

const md5 = (s) => createHash("md5").update(s).digest("hex");

test("send, receive, delete with MD5 checks", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "js-q" }));
  const body = "héllo \r\n wörld 😀";
  const sent = await sqs.send(
    new SendMessageCommand({
      QueueUrl,
      MessageBody: body,
      MessageAttributes: {
        a: { DataType: "String", StringValue: "x" },
        n: { DataType: "Number.int", StringValue: "7" },
        b: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2]) },
      },
    }),
  );
  assert.equal(sent.MD5OfMessageBody, md5(body));
  const got = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl,
      MessageAttributeNames: ["All"],
      MessageSystemAttributeNames: ["All"],
    }),
  );
  assert.equal(got.Messages.length, 1);
  const m = got.Messages[0];
  assert.equal(m.Body, body);
  assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
  assert.deepEqual([...m.MessageAttributes.b.BinaryValue], [0, 1, 2]);
  assert.equal(typeof m.Attributes.SentTimestamp, "string");
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }),
  );
  assert.equal(attrs.Attributes.ApproximateNumberOfMessages, "0");
  assert.equal(attrs.Attributes.ApproximateNumberOfMessagesNotVisible, "0");
});

test("batch send passes the SDK's MD5 check and reports failures", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "js-batch" }));
  const out = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl,
      Entries: [
        { Id: "a", MessageBody: "one" },
        { Id: "b", MessageBody: "two" },
        { Id: "bad", MessageBody: "\u0000" },
      ],
    }),
  );
  assert.deepEqual(out.Successful.map((e) => e.Id).sort(), ["a", "b"]);
  assert.equal(out.Failed.length, 1);
  assert.equal(out.Failed[0].Id, "bad");
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  assert.deepEqual(got.Messages.map((m) => m.Body).sort(), ["one", "two"]);
});

test("typed exception for a missing queue", async () => {
  await assert.rejects(
    sqs.send(new GetQueueUrlCommand({ QueueName: "does-not-exist" })),
    (e) => e instanceof QueueDoesNotExist && e.$metadata.httpStatusCode === 400,
  );
});

test("long poll is woken by a send within 50 ms", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "js-poll" }));
  const sender = new SQSClient(clientConfig(server.endpoint));
  await sender.send(new GetQueueUrlCommand({ QueueName: "js-poll" }));  // warm connection
  let returnedAt = 0;
  const poll = sqs
    .send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }))
    .then((r) => {
      returnedAt = performance.now();
      return r;
    });
  await new Promise((r) => setTimeout(r, 200));
  await sender.send(new SendMessageCommand({ QueueUrl, MessageBody: "wake" }));
  const sentAt = performance.now();
  const r = await poll;
  assert.equal(r.Messages[0].Body, "wake");
  assert.ok(returnedAt - sentAt < 50, `woke ${returnedAt - sentAt} ms after the send`);
  sender.destroy();
});
