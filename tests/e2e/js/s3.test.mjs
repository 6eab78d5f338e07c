// S3 with the unmodified AWS SDK for JavaScript v3: forcePathStyle and virtual-hosted
// (127.0.0.1 endpoint), stream bodies (aws-chunked + CRC32 trailer inside HTTP chunked),
// lib-storage Upload, s3-request-presigner, error shapes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { createHash } from "node:crypto";
import {
  S3Client,
  CreateBucketCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  DeleteObjectCommand,
  CopyObjectCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { startServer, clientConfig } from "./harness.mjs";

let server;
let s3;

before(async () => {
  server = await startServer();
  s3 = new S3Client(clientConfig(server.endpoint, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket: "js-bkt" }));
});

after(async () => {
  s3.destroy();
  await server.stop();
});

test("string body round trip with metadata and RFC 7231 dates", async () => {
  const put = await s3.send(
    new PutObjectCommand({ Bucket: "js-bkt", Key: "dir/a b+c.txt", Body: "hello\n", ContentType: "text/plain", Metadata: { who: "js" } }),
  );
  assert.equal(put.ETag, '"b1946ac92492d2347c6235b4d2611184"');
  const got = await s3.send(new GetObjectCommand({ Bucket: "js-bkt", Key: "dir/a b+c.txt", ChecksumMode: "ENABLED" }));
  assert.equal(await got.Body.transformToString(), "hello\n");
  assert.equal(got.Metadata.who, "js");
  assert.ok(got.LastModified instanceof Date && !isNaN(got.LastModified));
  const list = await s3.send(new ListObjectsV2Command({ Bucket: "js-bkt", Prefix: "dir/" }));
  assert.deepEqual(list.Contents.map((o) => o.Key), ["dir/a b+c.txt"]);
});

test("stream body goes as aws-chunked with a CRC32 trailer", async () => {
  const body = Readable.from([Buffer.from("stream-part-1 "), Buffer.from("stream-part-2")]);
  const put = await s3.send(
    new PutObjectCommand({ Bucket: "js-bkt", Key: "stream.txt", Body: body, ContentLength: 27 }),
  );
  assert.equal(put.ChecksumCRC32, "BtBGDA==");
  const got = await s3.send(new GetObjectCommand({ Bucket: "js-bkt", Key: "stream.txt", ChecksumMode: "ENABLED" }));
  assert.equal(await got.Body.transformToString(), "stream-part-1 stream-part-2");
  assert.equal(got.ChecksumCRC32, "BtBGDA==");
});

test("lib-storage Upload of a stream goes multipart", async () => {
  const size = 12 * 1024 * 1024 + 7;
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31) & 0xff;
  const chunks = [];
  for (let i = 0; i < size; i += 1024 * 1024) chunks.push(data.subarray(i, i + 1024 * 1024));
  const upload = new Upload({
    client: s3,
    params: { Bucket: "js-bkt", Key: "big/stream.bin", Body: Readable.from(chunks) },
    partSize: 5 * 1024 * 1024,
    queueSize: 3,
  });
  const out = await upload.done();
  assert.match(out.ETag, /-3"$/);
  const head = await s3.send(new HeadObjectCommand({ Bucket: "js-bkt", Key: "big/stream.bin" }));
  assert.equal(head.ContentLength, size);
  const got = await s3.send(new GetObjectCommand({ Bucket: "js-bkt", Key: "big/stream.bin" }));
  const back = Buffer.from(await got.Body.transformToByteArray());
  assert.equal(createHash("md5").update(back).digest("hex"), createHash("md5").update(data).digest("hex"));
});

test("presigned GET and PUT from s3-request-presigner", async () => {
  await s3.send(new PutObjectCommand({ Bucket: "js-bkt", Key: "ps.txt", Body: "presigned" }));
  const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: "js-bkt", Key: "ps.txt" }), { expiresIn: 60 });
  assert.match(getUrl, /X-Amz-Signature=/);
  assert.equal(await (await fetch(getUrl, { headers: { connection: "close" } })).text(), "presigned");
  const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: "js-bkt", Key: "ps-put.txt" }), { expiresIn: 60 });
  const res = await fetch(putUrl, { method: "PUT", body: "put via url", headers: { connection: "close" } });
  assert.equal(res.status, 200);
  const got = await s3.send(new GetObjectCommand({ Bucket: "js-bkt", Key: "ps-put.txt" }));
  assert.equal(await got.Body.transformToString(), "put via url");
});

test("virtual-hosted style against an IP endpoint and error shapes", async () => {
  const vh = new S3Client(clientConfig(server.endpoint));
  await vh.send(new PutObjectCommand({ Bucket: "js-bkt", Key: "vh.txt", Body: "v" }));
  const got = await vh.send(new GetObjectCommand({ Bucket: "js-bkt", Key: "vh.txt" }));
  assert.equal(await got.Body.transformToString(), "v");
  await assert.rejects(vh.send(new GetObjectCommand({ Bucket: "js-bkt", Key: "missing" })), (e) => {
    assert.equal(e.name, "NoSuchKey");
    assert.equal(e.$metadata.httpStatusCode, 404);
    return true;
  });
  await assert.rejects(vh.send(new HeadObjectCommand({ Bucket: "js-bkt", Key: "missing" })), (e) => {
    assert.equal(e.$metadata.httpStatusCode, 404);
    return true;
  });
  await vh.send(new CopyObjectCommand({ Bucket: "js-bkt", Key: "vh-copy.txt", CopySource: "js-bkt/vh.txt" }));
  await vh.send(new DeleteObjectCommand({ Bucket: "js-bkt", Key: "vh.txt" }));
  const list = await vh.send(new ListObjectsV2Command({ Bucket: "js-bkt", Prefix: "vh" }));
  assert.deepEqual(list.Contents.map((o) => o.Key), ["vh-copy.txt"]);
  vh.destroy();
});
