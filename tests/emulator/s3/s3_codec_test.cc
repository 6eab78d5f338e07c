// Unit tests for the S3 building blocks: aws-chunked decoding, checksums, listing,
// addressing, bucket names, notification matching and event JSON, SigV2.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emulator/s3/aws_chunked.h"
#include "emulator/s3/checksums.h"
#include "emulator/s3/s3_listing.h"
#include "emulator/s3/s3_notify.h"
#include "emulator/s3/s3_service.h"
#include "emulator/s3/s3_sigv2.h"
#include "protocol/core/crypto.h"

using namespace edastack;
using namespace edastack::s3;

namespace {

struct Decoded {
  bool ok;
  std::string data;
  std::map<std::string, std::string> trailers;
  std::string error;
};

// Feeds `wire` in pieces of `step` bytes.
Decoded Decode(const std::string& wire, size_t step) {
  Decoded d{true, "", {}, ""};
  AwsChunkedDecoder dec([&](const char* p, size_t n) {
    d.data.append(p, n);
    return true;
  });
  for (size_t i = 0; i < wire.size() && d.ok; i += step)
    d.ok = dec.Feed(wire.data() + i, std::min(step, wire.size() - i));
  d.ok = d.ok && dec.Finish();
  d.trailers = dec.trailers();
  d.error = dec.error();
  return d;
}

}  // namespace

TEST_CASE("aws-chunked: unsigned with a trailer, any split", "[s3]") {
  std::string wire =
      "e\r\nstream-part-1 \r\nd\r\nstream-part-2\r\n0\r\nx-amz-checksum-crc32:BtBGDA==\r\n\r\n";
  for (size_t step : {1, 2, 3, 7, 64, 1000}) {
    Decoded d = Decode(wire, step);
    REQUIRE(d.ok);
    CHECK(d.data == "stream-part-1 stream-part-2");
    CHECK(d.trailers.at("x-amz-checksum-crc32") == "BtBGDA==");
  }
  CHECK(DigestBase64(Algo::kCrc32, "stream-part-1 stream-part-2") == "BtBGDA==");
}

TEST_CASE("aws-chunked: signed chunks and the hook sees each signature", "[s3]") {
  std::string wire = "5;chunk-signature=aaa\r\nhello\r\n0;chunk-signature=bbb\r\n\r\n";
  std::vector<std::string> sigs;
  std::string data;
  AwsChunkedDecoder dec([&](const char* p, size_t n) {
    data.append(p, n);
    return true;
  });
  dec.SetChunkHook([&](const std::string& sig, const std::string& sha) {
    sigs.push_back(sig + ":" + sha.substr(0, 8));
    return sig != "bad";
  });
  REQUIRE(dec.Feed(wire.data(), wire.size()));
  REQUIRE(dec.Finish());
  CHECK(data == "hello");
  REQUIRE(sigs.size() == 2);
  CHECK(sigs[0] == "aaa:" + crypto::Sha256Hex("hello").substr(0, 8));
  CHECK(sigs[1] == "bbb:" + crypto::Sha256Hex("").substr(0, 8));

  AwsChunkedDecoder rejecting([](const char*, size_t) { return true; });
  rejecting.SetChunkHook([](const std::string& sig, const std::string&) { return sig != "bad"; });
  std::string bad = "1;chunk-signature=bad\r\nx\r\n0;chunk-signature=x\r\n\r\n";
  CHECK_FALSE(rejecting.Feed(bad.data(), bad.size()));
}

TEST_CASE("aws-chunked: framing errors are reported", "[s3]") {
  CHECK_FALSE(Decode("zz\r\nabc\r\n0\r\n\r\n", 100).ok);          // bad size
  CHECK_FALSE(Decode("3\r\nabcdef\r\n0\r\n\r\n", 100).ok);        // data longer than size
  CHECK_FALSE(Decode("5\r\nabc", 100).ok);                        // truncated
  CHECK(Decode("0\r\n\r\n", 100).ok);                             // empty body
  CHECK(Decode("3\r\nabc\r\n0\r\n", 100).ok);                     // no final blank line
}

TEST_CASE("checksums: known vectors, incremental equals one-shot", "[s3]") {
  CHECK(DigestBase64(Algo::kCrc32, "hello\n") == "NjowIA==");
  CHECK(crypto::Hex(DigestRaw(Algo::kCrc32c, "123456789")) == "e3069283");
  CHECK(crypto::Hex(DigestRaw(Algo::kCrc64Nvme, "123456789")) == "ae8b14860a799888");
  CHECK(crypto::Hex(DigestRaw(Algo::kSha1, "abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  std::string text(100000, 'x');
  for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>(i * 7);
  for (Algo a : {Algo::kMd5, Algo::kCrc32, Algo::kCrc32c, Algo::kCrc64Nvme, Algo::kSha1, Algo::kSha256}) {
    Digester d(a);
    for (size_t i = 0; i < text.size(); i += 333) d.Update(text.data() + i, std::min<size_t>(333, text.size() - i));
    CHECK(d.Final() == DigestRaw(a, text));
  }
  CHECK(ParseChecksumAlgo("crc32c") == Algo::kCrc32c);
  CHECK_FALSE(ParseChecksumAlgo("md5").has_value());
  CHECK(ChecksumHeader(Algo::kCrc64Nvme) == "x-amz-checksum-crc64nvme");
}

namespace {
std::vector<ObjectVersion> Source(const std::vector<std::string>& keys, const std::string& from,
                                  bool inclusive, size_t limit) {
  std::vector<ObjectVersion> out;
  for (const auto& k : keys) {
    if (inclusive ? k < from : k <= from) continue;
    if (out.size() >= limit) break;
    ObjectVersion v;
    v.key = k;
    out.push_back(v);
  }
  return out;
}
std::vector<std::string> Keys(const ListPage& p) {
  std::vector<std::string> out;
  for (const auto& o : p.contents) out.push_back(o.key);
  return out;
}
}  // namespace

TEST_CASE("listing: prefix, delimiter, common prefixes and pagination", "[s3]") {
  std::vector<std::string> keys = {"a/1", "a/2", "a/b/3", "b", "c/x", "c/y", "d"};  // byte-sorted
  auto src = [&](const std::string& f, bool i, size_t l) { return Source(keys, f, i, l); };
  ListQuery q;
  q.delimiter = "/";
  ListPage p = ListKeys(q, src);
  CHECK(Keys(p) == std::vector<std::string>{"b", "d"});
  CHECK(p.common_prefixes == std::vector<std::string>{"a/", "c/"});
  CHECK_FALSE(p.truncated);

  q.prefix = "a/";
  p = ListKeys(q, src);
  CHECK(Keys(p) == std::vector<std::string>{"a/1", "a/2"});
  CHECK(p.common_prefixes == std::vector<std::string>{"a/b/"});

  // Walk with max-keys 1: every key or prefix exactly once.
  ListQuery w;
  w.delimiter = "/";
  w.max_keys = 1;
  std::vector<std::string> seen;
  for (int guard = 0; guard < 20; ++guard) {
    ListPage page = ListKeys(w, src);
    for (const auto& k : Keys(page)) seen.push_back(k);
    for (const auto& cp : page.common_prefixes) seen.push_back(cp);
    if (!page.truncated) break;
    w.after = page.last;
  }
  CHECK(seen == std::vector<std::string>{"a/", "b", "c/", "d"});

  ListQuery none;
  none.after = "c/x";
  CHECK(Keys(ListKeys(none, src)) == std::vector<std::string>{"c/y", "d"});
  ListQuery zero;
  zero.max_keys = 0;
  CHECK(ListKeys(zero, src).contents.empty());
  CHECK(PrefixSuccessor("a/") == "a0");
  CHECK(PrefixSuccessor(std::string("a\xff", 2)) == "b");
}

TEST_CASE("addressing: path style and virtual-hosted", "[s3]") {
  Target t = ResolveTarget("localhost:4566", "/bkt/dir/a%20b+c.txt");
  CHECK(t.bucket == "bkt");
  CHECK(t.key == "dir/a b+c.txt");
  t = ResolveTarget("bkt.localhost:4566", "/dir/k");
  CHECK(t.virtual_host);
  CHECK(t.bucket == "bkt");
  CHECK(t.key == "dir/k");
  t = ResolveTarget("my.bkt.s3.localhost.localstack.cloud:4566", "/k");
  CHECK(t.bucket == "my.bkt");
  t = ResolveTarget("bkt.s3.us-east-1.amazonaws.com", "/");
  CHECK(t.bucket == "bkt");
  CHECK(t.key.empty());
  t = ResolveTarget("127.0.0.1:4566", "/");
  CHECK(t.bucket.empty());
  t = ResolveTarget("s3.localhost.localstack.cloud:4566", "/b1/k");
  CHECK(t.bucket == "b1");
}

TEST_CASE("bucket naming rules", "[s3]") {
  for (const char* ok : {"abc", "my-bucket.v1", "a1b", "123"}) CHECK(ValidBucketName(ok));
  for (const char* bad : {"ab", "ABC", "a_b", "-ab", "ab-", "a..b", "a.-b", "192.168.0.1",
                          "xn--abc", "abc-s3alias"})
    CHECK_FALSE(ValidBucketName(bad));
  CHECK_FALSE(ValidBucketName(std::string(64, 'a')));
  CHECK(ValidBucketName(std::string(63, 'a')));
}

TEST_CASE("notifications: event names, filters, key encoding, record JSON", "[s3]") {
  CHECK(EventNameMatches("s3:ObjectCreated:*", "ObjectCreated:Put"));
  CHECK(EventNameMatches("s3:ObjectCreated:Put", "ObjectCreated:Put"));
  CHECK_FALSE(EventNameMatches("s3:ObjectCreated:Put", "ObjectCreated:Copy"));
  CHECK_FALSE(EventNameMatches("s3:ObjectRemoved:*", "ObjectCreated:Put"));
  NotificationRule r;
  r.events = {"s3:ObjectCreated:*"};
  r.filters = {{"Prefix", "ev/"}, {"Suffix", ".txt"}};
  CHECK(RuleMatches(r, "ObjectCreated:Put", "ev/a.txt"));
  CHECK_FALSE(RuleMatches(r, "ObjectCreated:Put", "ev/a.bin"));
  CHECK_FALSE(RuleMatches(r, "ObjectCreated:Put", "x/a.txt"));
  CHECK_FALSE(RuleMatches(r, "ObjectRemoved:Delete", "ev/a.txt"));
  CHECK(FormEncodeKey("ev/a b+c:d.txt") == "ev/a+b%2Bc%3Ad.txt");
  CHECK(Sequencer(2) > Sequencer(1));

  S3Event e{"ObjectCreated:Put", "bkt1", "ev/a b", "etag1", "", 3, 7, 1795000000123, "PutObject", "", false};
  auto j = nlohmann::json::parse(RecordsJson(e, "n1", "eu-west-1", "000000000000", "rid", "127.0.0.1"));
  const auto& rec = j["Records"][0];
  CHECK(rec["eventVersion"] == "2.1");
  CHECK(rec["awsRegion"] == "eu-west-1");
  CHECK(rec["eventTime"] == "2026-11-18T11:06:40.123Z");
  CHECK(rec["s3"]["configurationId"] == "n1");
  CHECK(rec["s3"]["object"]["key"] == "ev/a+b");
  CHECK(rec["s3"]["object"]["size"] == 3);
  CHECK(rec["s3"]["object"]["eTag"] == "etag1");
  CHECK_FALSE(rec["s3"]["object"].contains("versionId"));
  // Field order as AWS sends it.
  std::string text = RecordsJson(e, "n1", "eu-west-1", "000000000000", "rid", "127.0.0.1");
  CHECK(text.find("\"eventVersion\"") < text.find("\"eventSource\""));

  auto entry = EventBridgeEntry(e, "us-east-1", "000000000000", "rid", "1.2.3.4");
  CHECK(entry["Source"] == "aws.s3");
  CHECK(entry["DetailType"] == "Object Created");
  auto detail = nlohmann::json::parse(entry["Detail"].get<std::string>());
  CHECK(detail["object"]["key"] == "ev/a b");
  CHECK(detail["object"]["etag"] == "etag1");
  CHECK(detail["reason"] == "PutObject");
  S3Event del{"ObjectRemoved:DeleteMarkerCreated", "b", "k", "", "v1", 0, 9, 0, "DeleteObject",
              "Delete Marker Created", true};
  auto d2 = nlohmann::json::parse(EventBridgeEntry(del, "us-east-1", "0", "r", "")["Detail"].get<std::string>());
  CHECK(d2["deletion-type"] == "Delete Marker Created");
  CHECK(d2["object"]["version-id"] == "v1");
  CHECK_FALSE(d2["object"].contains("size"));
}

TEST_CASE("notification configuration parses, validates and renders", "[s3]") {
  auto doc = xml::Parse(
      "<NotificationConfiguration><QueueConfiguration><Id>n1</Id>"
      "<Queue>arn:aws:sqs:us-east-1:000000000000:q</Queue><Event>s3:ObjectCreated:*</Event>"
      "<Filter><S3Key><FilterRule><Name>prefix</Name><Value>ev/</Value></FilterRule></S3Key>"
      "</Filter></QueueConfiguration><EventBridgeConfiguration/></NotificationConfiguration>");
  REQUIRE(doc);
  auto cfg = ParseNotificationConfig(*doc);
  REQUIRE(cfg.ok());
  REQUIRE(cfg->rules.size() == 1);
  CHECK(cfg->rules[0].filters[0].first == "Prefix");
  CHECK(cfg->eventbridge);
  std::string out = RenderNotificationConfig(*cfg);
  CHECK(out.find("<Name>Prefix</Name>") != std::string::npos);
  CHECK(out.find("<EventBridgeConfiguration/>") != std::string::npos);
  auto bad = xml::Parse(
      "<NotificationConfiguration><QueueConfiguration><Queue>arn:aws:sqs:us-east-1:0:q</Queue>"
      "<Event>s3:Nope</Event></QueueConfiguration></NotificationConfiguration>");
  CHECK(ParseNotificationConfig(*bad).error().code == "InvalidArgument");
  auto badrule = xml::Parse(
      "<NotificationConfiguration><QueueConfiguration><Queue>arn:aws:sqs:us-east-1:0:q</Queue>"
      "<Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>middle</Name>"
      "<Value>x</Value></FilterRule></S3Key></Filter></QueueConfiguration>"
      "</NotificationConfiguration>");
  CHECK(ParseNotificationConfig(*badrule).error().code == "InvalidArgument");
}

TEST_CASE("SigV2 presigned: string to sign and verification", "[s3]") {
  http::Request req;
  req.method = "GET";
  req.target = "/bkt/k%20y";
  req.query = {{"AWSAccessKeyId", "AK"}, {"Expires", "1900000000"}, {"versionId", "v1"}};
  std::string sts = SigV2StringToSign(req, "/bkt/k%20y");
  CHECK(sts == "GET\n\n\n1900000000\n/bkt/k%20y?versionId=v1");
  std::string sig = crypto::Base64Encode(crypto::HmacSha1("secret", sts));
  req.query.emplace_back("Signature", sig);
  std::map<std::string, std::string> creds = {{"AK", "secret"}};
  CHECK(VerifySigV2(req, "/bkt/k%20y", creds, 1800000000000LL).ok());
  CHECK(VerifySigV2(req, "/bkt/k%20y", creds, 1900000001000LL).error().code == "AccessDenied");
  CHECK(VerifySigV2(req, "/bkt/other", creds, 1800000000000LL).error().code == "SignatureDoesNotMatch");
  CHECK(VerifySigV2(req, "/bkt/k%20y", {{"BK", "x"}}, 1800000000000LL).error().code == "InvalidAccessKeyId");
}
