// EventBridge with the unmodified AWS SDK for JavaScript v3: rule → SQS target with an
// InputTransformer, the exact envelope, disabled rules, and modeled error classes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  PutEventsCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  ListTargetsByRuleCommand,
  DescribeEventBusCommand,
  TestEventPatternCommand,
  ResourceNotFoundException,
  InvalidEventPatternException,
} from "@aws-sdk/client-eventbridge";
import {
  SQSClient,
  CreateQueueCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import { startServer, clientConfig } from "./harness.mjs";

let server, events, sqs;
const ACCOUNT = "000000000000";

before(async () => {
  server = await startServer();
  events = new EventBridgeClient(clientConfig(server.endpoint));
  sqs = new SQSClient(clientConfig(server.endpoint));
});

after(async () => {
  events.destroy();
  sqs.destroy();
  await server.stop();
});

async function queue(name) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  return { url: QueueUrl, arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}` };
}

async function receive(url, count) {
  const out = [];
  for (let i = 0; i < 5 && out.length < count; i++) {
    const r = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    out.push(...(r.Messages ?? []).map((m) => m.Body));
  }
  return out;
}

test("rule → SQS with the exact envelope and an InputTransformer", async () => {
  const plain = await queue("js-plain");
  const xf = await queue("js-xf");
  const off = await queue("js-off");
  // The disabled rule sorts first, so a wrong delivery from it would arrive before the others.
  await events.send(
    new PutRuleCommand({ Name: "a-js-off", EventPattern: JSON.stringify({ source: ["js.app"] }), State: "DISABLED" }),
  );
  await events.send(new PutTargetsCommand({ Rule: "a-js-off", Targets: [{ Id: "t", Arn: off.arn }] }));
  const { RuleArn } = await events.send(
    new PutRuleCommand({
      Name: "js-rule",
      EventPattern: JSON.stringify({ source: ["js.app"], detail: { kind: [{ "equals-ignore-case": "order" }] } }),
    }),
  );
  assert.equal(RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/js-rule`);
  const put = await events.send(
    new PutTargetsCommand({
      Rule: "js-rule",
      Targets: [
        { Id: "plain", Arn: plain.arn },
        {
          Id: "xf",
          Arn: xf.arn,
          InputTransformer: {
            InputPathsMap: { id: "$.detail.id", src: "$.source" },
            InputTemplate: '{"order": <id>, "text": "<src> sent <id>"}',
          },
        },
      ],
    }),
  );
  assert.equal(put.FailedEntryCount, 0);
  assert.deepEqual(put.FailedEntries, []);
  const listed = await events.send(new ListTargetsByRuleCommand({ Rule: "js-rule" }));
  assert.equal(listed.Targets.length, 2);
  assert.equal(listed.Targets[1].InputTransformer.InputPathsMap.id, "$.detail.id");

  const time = new Date("2026-11-28T10:00:00.123Z");
  const res = await events.send(
    new PutEventsCommand({
      Entries: [
        { Source: "js.app", DetailType: "Order", Time: time, Detail: JSON.stringify({ kind: "ORDER", id: 7 }) },
        { Source: "js.app", DetailType: "Order", Detail: JSON.stringify({ kind: "refund", id: 8 }) },
      ],
    }),
  );
  assert.equal(res.FailedEntryCount, 0);
  const id = res.Entries[0].EventId;
  const [body] = await receive(plain.url, 1);
  assert.equal(
    body,
    JSON.stringify({
      version: "0", id, "detail-type": "Order", source: "js.app", account: ACCOUNT,
      time: "2026-11-28T10:00:00Z", region: "us-east-1", resources: [], detail: { kind: "ORDER", id: 7 },
    }),
  );
  assert.deepEqual(await receive(xf.url, 1), ['{"order": 7, "text": "js.app sent 7"}']);
  const rest = await sqs.send(new ReceiveMessageCommand({ QueueUrl: plain.url, WaitTimeSeconds: 0 }));
  assert.equal(rest.Messages, undefined);
  const offMsgs = await sqs.send(new ReceiveMessageCommand({ QueueUrl: off.url, WaitTimeSeconds: 0 }));
  assert.equal(offMsgs.Messages, undefined);
});

test("modeled errors and timestamps", async () => {
  await assert.rejects(
    events.send(new DescribeRuleCommand({ Name: "missing-rule" })),
    (e) => e instanceof ResourceNotFoundException && e.message === "Rule missing-rule does not exist on EventBus default.",
  );
  await assert.rejects(
    events.send(new PutRuleCommand({ Name: "bad", EventPattern: '{"source":[]}' })),
    (e) => e instanceof InvalidEventPatternException && e.$metadata.httpStatusCode === 400,
  );
  await assert.rejects(
    events.send(new DisableRuleCommand({ Name: "missing-rule" })),
    (e) => e.name === "ResourceNotFoundException",
  );
  const bus = await events.send(new DescribeEventBusCommand({}));
  assert.equal(bus.Name, "default");
  assert.ok(bus.CreationTime instanceof Date);
  const t = await events.send(
    new TestEventPatternCommand({
      EventPattern: JSON.stringify({ detail: { n: [{ numeric: [">=", 10, "<", 20] }] } }),
      Event: JSON.stringify({ id: "1", account: ACCOUNT, source: "s", time: "2026-11-28T10:00:00Z",
        region: "us-east-1", resources: [], "detail-type": "t", detail: { n: 15 } }),
    }),
  );
  assert.equal(t.Result, true);
});
