// S3 operations through Emulator::Handle in-process (no HTTP): state, errors, listing,
// multipart ETags, versioning and notifications to in-process functions.
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <nlohmann/json.hpp>

#include "emulator/s3/s3_service.h"
#include "emulator/server/emulator.h"
#include "protocol/core/crypto.h"
#include "protocol/query/xml_reader.h"
#include "tests/emulator/s3/s3_test_request.h"

using namespace edastack;

namespace {

struct Fixture {
  ManualClock clock;
  std::unique_ptr<Emulator> emu;
  std::mutex mu;
  std::vector<std::string> invoked;  // guarded by mu (notifications run on their own thread)

  // Waits (up to 5 s) until n notifications arrived; returns them.
  std::vector<std::string> Invoked(size_t n) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard<std::mutex> g(mu);
        if (invoked.size() >= n) return invoked;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard<std::mutex> g(mu);
    return invoked;
  }

  Fixture() {
    EmulatorOptions opts;
    opts.ephemeral = true;
    emu = std::make_unique<Emulator>(opts, clock);
    emu->functions().Register("collector", [this](const std::string& event) -> Result<std::string> {
      std::lock_guard<std::mutex> g(mu);
      invoked.push_back(event);
      return std::string("{}");
    });
    emu->AddService(http::Service::kS3, std::make_unique<s3::S3Service>(*emu));
  }

  http::Response Call(const std::string& method, const std::string& target,
                      const std::string& body = "",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request r = edastack::testing::S3Request(method, target, body, headers);
    return emu->Handle(r);
  }

  std::string Body(http::Response& r) {
    return edastack::testing::S3Body(r);
  }
};

using edastack::testing::Code;

}  // namespace

TEST_CASE("s3 service: buckets, objects, errors and bad input changing nothing", "[s3]") {
  Fixture f;
  CHECK(f.Call("PUT", "/bkt1").status == 200);
  CHECK(f.Call("PUT", "/bkt1").status == 200);  // us-east-1 legacy
  CHECK(Code(f.Call("PUT", "/Bad_Name")) == "InvalidBucketName");
  CHECK(Code(f.Call("PUT", "/bkt2", "<CreateBucketConfiguration><oops")) == "MalformedXML");
  CHECK(Code(f.Call("GET", "/bkt2?list-type=2")) == "NoSuchBucket");

  auto put = f.Call("PUT", "/bkt1/a/b.txt", "hello\n", {{"x-amz-meta-Color", "blue"}});
  REQUIRE(put.status == 200);
  CHECK(put.Header("ETag") == "\"b1946ac92492d2347c6235b4d2611184\"");
  auto get = f.Call("GET", "/bkt1/a/b.txt");
  CHECK(f.Body(get) == "hello\n");
  {
    // PutObject that does not announce its body: 411, and the object is unchanged.
    http::Request bare = edastack::testing::S3Request("PUT", "/bkt1/a/b.txt");
    bare.headers.erase("Content-Length");
    auto res = f.emu->Handle(bare);
    CHECK(res.status == 411);
    CHECK(Code(res) == "MissingContentLength");
    auto again = f.Call("GET", "/bkt1/a/b.txt");
    CHECK(f.Body(again) == "hello\n");
  }
  CHECK(get.Header("x-amz-meta-color") == "blue");
  CHECK(get.Header("Last-Modified") == "Wed, 18 Nov 2026 11:06:40 GMT");

  auto missing = f.Call("GET", "/bkt1/nope");
  CHECK(missing.status == 404);
  CHECK(missing.body.find("<Key>nope</Key>") != std::string::npos);
  CHECK(missing.body.find("<BucketName>bkt1</BucketName>") != std::string::npos);

  // A bad Content-MD5 rejects the write and leaves the old body.
  auto bad = f.Call("PUT", "/bkt1/a/b.txt", "other", {{"Content-MD5", crypto::Base64Encode(crypto::Md5("x"))}});
  CHECK(Code(bad) == "BadDigest");
  auto again = f.Call("GET", "/bkt1/a/b.txt");
  CHECK(f.Body(again) == "hello\n");

  CHECK(Code(f.Call("DELETE", "/bkt1")) == "BucketNotEmpty");
  CHECK(f.Call("DELETE", "/bkt1/a/b.txt").status == 204);
  CHECK(f.Call("DELETE", "/bkt1").status == 204);
  CHECK(f.Call("HEAD", "/bkt1").status == 404);
}

TEST_CASE("s3 service: multipart ETag and part rules", "[s3]") {
  Fixture f;
  f.Call("PUT", "/mp-bkt");
  auto init = f.Call("POST", "/mp-bkt/big?uploads");
  std::string id = xml::Parse(init.body)->ChildText("UploadId");
  REQUIRE_FALSE(id.empty());
  std::string p1(5 * 1024 * 1024, 'a'), p2 = "tail";
  // Out of order.
  auto r2 = f.Call("PUT", "/mp-bkt/big?partNumber=2&uploadId=" + id, p2);
  auto r1 = f.Call("PUT", "/mp-bkt/big?partNumber=1&uploadId=" + id, p1);
  REQUIRE(r1.status == 200);
  std::string xml = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" +
                    r1.Header("ETag") + "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>&quot;" +
                    crypto::Md5Hex(p2) + "&quot;</ETag></Part></CompleteMultipartUpload>";
  auto done = f.Call("POST", "/mp-bkt/big?uploadId=" + id, xml);
  REQUIRE(done.status == 200);
  std::string want = crypto::Md5Hex(crypto::Md5(p1) + crypto::Md5(p2)) + "-2";
  CHECK(xml::Parse(done.body)->ChildText("ETag") == "\"" + want + "\"");
  auto get = f.Call("GET", "/mp-bkt/big");
  CHECK(get.stream_length == p1.size() + p2.size());
  CHECK(Code(f.Call("POST", "/mp-bkt/big?uploadId=" + id, xml)) == "NoSuchUpload");

  auto init2 = f.Call("POST", "/mp-bkt/small?uploads");
  std::string id2 = xml::Parse(init2.body)->ChildText("UploadId");
  auto s1 = f.Call("PUT", "/mp-bkt/small?partNumber=1&uploadId=" + id2, "x");
  auto s2 = f.Call("PUT", "/mp-bkt/small?partNumber=2&uploadId=" + id2, "y");
  std::string xml2 = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" +
                     s1.Header("ETag") + "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>" +
                     s2.Header("ETag") + "</ETag></Part></CompleteMultipartUpload>";
  CHECK(Code(f.Call("POST", "/mp-bkt/small?uploadId=" + id2, xml2)) == "EntityTooSmall");
  CHECK(Code(f.Call("PUT", "/mp-bkt/small?partNumber=0&uploadId=" + id2, "z")) == "InvalidArgument");
}

TEST_CASE("s3 service: notifications reach in-process functions after the write", "[s3]") {
  Fixture f;
  f.Call("PUT", "/ntf-bkt");
  std::string cfg =
      "<NotificationConfiguration><CloudFunctionConfiguration><Id>fn</Id>"
      "<CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:collector</CloudFunction>"
      "<Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>suffix</Name>"
      "<Value>.csv</Value></FilterRule></S3Key></Filter></CloudFunctionConfiguration>"
      "</NotificationConfiguration>";
  REQUIRE(f.Call("PUT", "/ntf-bkt?notification", cfg).status == 200);
  f.Call("PUT", "/ntf-bkt/in/data 1.csv", "a,b");
  f.Call("PUT", "/ntf-bkt/in/skip.txt", "x");
  f.clock.Advance(1000);
  f.Call("PUT", "/ntf-bkt/in/data 1.csv", "a,b,c");
  auto invoked = f.Invoked(2);
  REQUIRE(invoked.size() == 2);
  auto e1 = nlohmann::json::parse(invoked[0])["Records"][0];
  auto e2 = nlohmann::json::parse(invoked[1])["Records"][0];
  CHECK(e1["eventName"] == "ObjectCreated:Put");
  CHECK(e1["s3"]["object"]["key"] == "in/data+1.csv");
  CHECK(e1["s3"]["object"]["size"] == 3);
  CHECK(e1["s3"]["configurationId"] == "fn");
  CHECK(e2["s3"]["object"]["sequencer"].get<std::string>() >
        e1["s3"]["object"]["sequencer"].get<std::string>());
  // An unknown function fails validation; the old configuration stays.
  std::string bad =
      "<NotificationConfiguration><CloudFunctionConfiguration><CloudFunction>"
      "arn:aws:lambda:us-east-1:000000000000:function:nope</CloudFunction>"
      "<Event>s3:ObjectCreated:*</Event></CloudFunctionConfiguration></NotificationConfiguration>";
  CHECK(Code(f.Call("PUT", "/ntf-bkt?notification", bad)) == "InvalidArgument");
  CHECK(f.Call("GET", "/ntf-bkt?notification").body.find("collector") != std::string::npos);
}

TEST_CASE("s3 service: versioning keeps versions and delete markers", "[s3]") {
  Fixture f;
  f.Call("PUT", "/ver-bkt");
  f.Call("PUT", "/ver-bkt?versioning",
         "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>");
  auto v1 = f.Call("PUT", "/ver-bkt/k", "one").Header("x-amz-version-id");
  auto v2 = f.Call("PUT", "/ver-bkt/k", "two").Header("x-amz-version-id");
  CHECK(v1 != v2);
  auto del = f.Call("DELETE", "/ver-bkt/k");
  CHECK(del.Header("x-amz-delete-marker") == "true");
  auto gone = f.Call("GET", "/ver-bkt/k");
  CHECK(gone.status == 404);
  CHECK(gone.Header("x-amz-delete-marker") == "true");
  auto old = f.Call("GET", "/ver-bkt/k?versionId=" + v1);
  CHECK(f.Body(old) == "one");
  auto list = f.Call("GET", "/ver-bkt?versions");
  CHECK(list.body.find("<DeleteMarker>") != std::string::npos);
  f.Call("DELETE", "/ver-bkt/k?versionId=" + del.Header("x-amz-version-id"));
  auto back = f.Call("GET", "/ver-bkt/k");
  CHECK(f.Body(back) == "two");
}

TEST_CASE("s3 service: lifecycle expiration applied by the clock when read", "[s3]") {
  Fixture f;
  f.Call("PUT", "/lc-bkt");
  std::string lc =
      "<LifecycleConfiguration><Rule><ID>r</ID><Filter><Prefix>tmp/</Prefix></Filter>"
      "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"
      "</LifecycleConfiguration>";
  REQUIRE(f.Call("PUT", "/lc-bkt?lifecycle", lc).status == 200);
  f.Call("PUT", "/lc-bkt/tmp/a", "x");
  f.Call("PUT", "/lc-bkt/keep/b", "y");
  CHECK(f.Call("HEAD", "/lc-bkt/tmp/a").status == 200);
  f.clock.Advance(2 * 86400000LL);
  CHECK(f.Call("HEAD", "/lc-bkt/tmp/a").status == 404);
  CHECK(f.Call("HEAD", "/lc-bkt/keep/b").status == 200);
  auto list = f.Call("GET", "/lc-bkt?list-type=2");
  CHECK(list.body.find("<Key>tmp/a</Key>") == std::string::npos);
  CHECK(list.body.find("<Key>keep/b</Key>") != std::string::npos);
}
