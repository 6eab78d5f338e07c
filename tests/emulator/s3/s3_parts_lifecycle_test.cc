// S3: GetObject/HeadObject by partNumber, ListMultipartUploads paging, signed aws-chunked
// trailers under --auth sigv4, lifecycle expiration in versioned buckets.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>

#include "emulator/s3/checksums.h"
#include "emulator/s3/s3_lifecycle.h"
#include "emulator/s3/s3_listing.h"
#include "emulator/s3/s3_service.h"
#include "emulator/server/emulator.h"
#include "protocol/core/crypto.h"
#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"
#include "protocol/query/xml_reader.h"
#include "protocol/sigv4/signer.h"
#include "tests/emulator/s3/s3_test_request.h"

using namespace edastack;
using namespace edastack::s3;

namespace {

constexpr int64_t kDay = 86400000;

struct Server : edastack::testing::S3TestServer {
  explicit Server(bool auth = false) : S3TestServer(auth) {}

  static http::Request Make(const std::string& method, const std::string& target,
                            const std::string& body,
                            const std::vector<std::pair<std::string, std::string>>& headers) {
    return edastack::testing::S3Request(method, target, body, headers);
  }

  static std::string Body(http::Response& r) {
    return edastack::testing::S3Body(r);
  }
};

using edastack::testing::Code;

// Uploads `parts` as one multipart object; returns the Complete response.
http::Response Multipart(Server& s, const std::string& path, const std::vector<std::string>& parts) {
  auto init = s.Call("POST", path + "?uploads");
  std::string id = xml::Parse(init.body)->ChildText("UploadId");
  std::string xml = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string n = std::to_string(i + 1);
    auto r = s.Call("PUT", path + "?partNumber=" + n + "&uploadId=" + id, parts[i]);
    xml += "<Part><PartNumber>" + n + "</PartNumber><ETag>" + r.Header("ETag") + "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  return s.Call("POST", path + "?uploadId=" + id, xml);
}

}  // namespace

TEST_CASE("s3: GetObject and HeadObject by partNumber", "[s3]") {
  Server s;
  s.Call("PUT", "/pnum");
  std::string p1(5 * 1024 * 1024, 'a'), p2(5 * 1024 * 1024 + 7, 'b'), p3 = "tail";
  REQUIRE(Multipart(s, "/pnum/obj", {p1, p2, p3}).status == 200);

  auto g2 = s.Call("GET", "/pnum/obj?partNumber=2");
  CHECK(g2.status == 206);
  CHECK(g2.Header("x-amz-mp-parts-count") == "3");
  CHECK(g2.Header("Content-Range") == "bytes 5242880-10485766/10485771");
  CHECK(Server::Body(g2) == p2);
  auto h3 = s.Call("HEAD", "/pnum/obj?partNumber=3");
  CHECK(h3.status == 206);
  CHECK(h3.Header("Content-Length") == "4");
  CHECK(h3.Header("x-amz-mp-parts-count") == "3");
  auto g1 = s.Call("GET", "/pnum/obj?partNumber=1");
  CHECK(Server::Body(g1) == p1);

  auto beyond = s.Call("GET", "/pnum/obj?partNumber=4");
  CHECK(beyond.status == 416);
  CHECK(Code(beyond) == "InvalidPartNumber");
  CHECK(Code(s.Call("GET", "/pnum/obj?partNumber=0")) == "InvalidArgument");
  CHECK(Code(s.Call("GET", "/pnum/obj?partNumber=x")) == "InvalidArgument");
  CHECK(Code(s.Call("GET", "/pnum/obj?partNumber=1", "", {{"Range", "bytes=0-1"}})) ==
        "InvalidRequest");

  // A single-part object is part 1; there is no part 2.
  s.Call("PUT", "/pnum/plain", "hello");
  auto only = s.Call("GET", "/pnum/plain?partNumber=1");
  CHECK(only.status == 206);
  CHECK(Server::Body(only) == "hello");
  CHECK(only.Header("x-amz-mp-parts-count").empty());
  CHECK(Code(s.Call("GET", "/pnum/plain?partNumber=2")) == "InvalidPartNumber");

  // A copy keeps the part layout.
  REQUIRE(s.Call("PUT", "/pnum/copy", "", {{"x-amz-copy-source", "pnum/obj"}}).status == 200);
  auto c3 = s.Call("GET", "/pnum/copy?partNumber=3");
  CHECK(Server::Body(c3) == p3);
}

TEST_CASE("s3: PageUploads markers, truncation and common prefixes", "[s3]") {
  std::vector<Upload> ups;
  for (auto [k, id] : std::vector<std::pair<std::string, std::string>>{
           {"a", "u1"}, {"a", "u2"}, {"b", "u3"}, {"d/x", "u4"}, {"d/y", "u5"}, {"e", "u6"}}) {
    Upload u;
    u.key = k;
    u.upload_id = id;
    ups.push_back(u);
  }
  UploadsQuery q;
  q.max_uploads = 2;
  auto p = PageUploads(ups, q);
  REQUIRE(p.uploads.size() == 2);
  CHECK(p.truncated);
  CHECK(p.next_key_marker == "a");
  CHECK(p.next_upload_id_marker == "u2");

  q.key_marker = "a";
  q.upload_id_marker = "u1";
  p = PageUploads(ups, q);
  REQUIRE(p.uploads.size() == 2);
  CHECK(p.uploads[0].upload_id == "u2");
  CHECK(p.uploads[1].upload_id == "u3");

  q = UploadsQuery{};
  q.key_marker = "a";  // without an upload-id marker: keys after "a"
  p = PageUploads(ups, q);
  REQUIRE(p.uploads.size() == 4);
  CHECK(p.uploads[0].key == "b");
  CHECK_FALSE(p.truncated);

  q = UploadsQuery{};
  q.delimiter = "/";
  q.max_uploads = 4;
  p = PageUploads(ups, q);
  REQUIRE(p.uploads.size() == 3);
  REQUIRE(p.common_prefixes.size() == 1);
  CHECK(p.common_prefixes[0] == "d/");
  CHECK(p.truncated);
  CHECK(p.next_key_marker == "d/");
  CHECK(p.next_upload_id_marker.empty());
  q.key_marker = p.next_key_marker;
  p = PageUploads(ups, q);
  REQUIRE(p.uploads.size() == 1);
  CHECK(p.uploads[0].key == "e");
  CHECK(p.common_prefixes.empty());
  CHECK_FALSE(p.truncated);

  q = UploadsQuery{};
  q.prefix = "d/";
  p = PageUploads(ups, q);
  CHECK(p.uploads.size() == 2);
}

TEST_CASE("s3: ListMultipartUploads pages through the wire", "[s3]") {
  Server s;
  s.Call("PUT", "/mups");
  for (const char* k : {"k1", "k2", "k3", "dir/a", "dir/b"}) s.Call("POST", std::string("/mups/") + k + "?uploads");
  auto r = s.Call("GET", "/mups?uploads&max-uploads=2");
  auto doc = xml::Parse(r.body);
  REQUIRE(doc);
  CHECK(doc->ChildText("IsTruncated") == "true");
  CHECK(doc->ChildText("MaxUploads") == "2");
  CHECK(doc->Children("Upload").size() == 2);
  CHECK(doc->ChildText("NextKeyMarker") == "dir/b");
  std::string next = "/mups?uploads&max-uploads=2&key-marker=" + doc->ChildText("NextKeyMarker") +
                     "&upload-id-marker=" + doc->ChildText("NextUploadIdMarker");
  doc = xml::Parse(s.Call("GET", next).body);
  REQUIRE(doc);
  CHECK(doc->Children("Upload").size() == 2);
  CHECK(doc->Children("Upload")[0]->ChildText("Key") == "k1");
  CHECK(doc->ChildText("IsTruncated") == "true");
  doc = xml::Parse(s.Call("GET", "/mups?uploads&delimiter=/").body);
  REQUIRE(doc);
  CHECK(doc->Children("Upload").size() == 3);
  REQUIRE(doc->Children("CommonPrefixes").size() == 1);
  CHECK(doc->Children("CommonPrefixes")[0]->ChildText("Prefix") == "dir/");
  CHECK(doc->ChildText("Delimiter") == "/");
  CHECK(Code(s.Call("GET", "/mups?uploads&max-uploads=abc")) == "InvalidArgument");
}

TEST_CASE("s3: signed aws-chunked trailer verified under --auth sigv4", "[s3]") {
  Server s(true);
  sigv4::Credentials creds{"good", "secret", ""};
  {
    http::Request mk = Server::Make("PUT", "/trail", "", {});
    sigv4::SignRequest(mk, creds, "us-east-1", "s3", s.clock.NowMillis(), true);
    REQUIRE(s.emu->Handle(mk).status == 200);
  }
  auto put = [&](const std::string& payload, bool corrupt_trailer_sig, bool omit_trailer_sig) {
    std::string amz_date = timefmt::AmzDate(s.clock.NowMillis());
    std::string day = amz_date.substr(0, 8);
    std::string scope = day + "/us-east-1/s3/aws4_request";
    std::string key = sigv4::SigningKey("secret", day, "us-east-1", "s3");
    const std::string marker = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    http::Request r = Server::Make("PUT", "/trail/obj", "", {
        {"X-Amz-Date", amz_date}, {"x-amz-content-sha256", marker},
        {"Content-Encoding", "aws-chunked"}, {"x-amz-trailer", "x-amz-checksum-crc32"},
        {"x-amz-decoded-content-length", std::to_string(payload.size())}});
    std::vector<std::string> names;
    r.headers.erase("Content-Length");  // not signed: the length is known after signing
    for (const auto& kv : r.headers) names.push_back(str::ToLower(kv.first));
    std::sort(names.begin(), names.end());
    std::string creq = sigv4::CanonicalRequest(r, names, marker, sigv4::UriMode::kS3AsSent);
    std::string seed = sigv4::Signature(key, sigv4::StringToSign(amz_date, scope, creq));
    std::string signed_list;
    for (const auto& n : names) signed_list += (signed_list.empty() ? "" : ";") + n;
    r.headers.emplace("Authorization", "AWS4-HMAC-SHA256 Credential=good/" + scope +
                                           ", SignedHeaders=" + signed_list +
                                           ", Signature=" + seed);
    auto chunk_sig = [&](const std::string& prev, const std::string& data) {
      return sigv4::Signature(key, "AWS4-HMAC-SHA256-PAYLOAD\n" + amz_date + "\n" + scope + "\n" +
                                       prev + "\n" + crypto::Sha256Hex("") + "\n" +
                                       crypto::Sha256Hex(data));
    };
    std::string s1 = chunk_sig(seed, payload);
    std::string s0 = chunk_sig(s1, "");
    std::string crc = crypto::Base64Encode(DigestRaw(Algo::kCrc32, payload));
    std::string trailer = "x-amz-checksum-crc32:" + crc + "\n";
    std::string tsig = sigv4::Signature(key, "AWS4-HMAC-SHA256-TRAILER\n" + amz_date + "\n" +
                                                 scope + "\n" + s0 + "\n" +
                                                 crypto::Sha256Hex(trailer));
    if (corrupt_trailer_sig) tsig[0] = tsig[0] == '0' ? '1' : '0';
    char size_hex[32];
    std::snprintf(size_hex, sizeof size_hex, "%zx", payload.size());
    std::string wire = std::string(size_hex) + ";chunk-signature=" + s1 + "\r\n" + payload + "\r\n0;chunk-signature=" + s0 +
                       "\r\nx-amz-checksum-crc32:" + crc + "\r\n";
    if (!omit_trailer_sig) wire += "x-amz-trailer-signature:" + tsig + "\r\n";
    wire += "\r\n";
    r.body = wire;
    r.headers.emplace("Content-Length", std::to_string(wire.size()));
    return s.emu->Handle(r);
  };
  auto ok = put("signed trailer body", false, false);
  CHECK(ok.status == 200);
  CHECK(ok.Header("x-amz-checksum-crc32") ==
        crypto::Base64Encode(DigestRaw(Algo::kCrc32, "signed trailer body")));
  auto bad = put("forged trailer body", true, false);
  CHECK(bad.status == 403);
  CHECK(Code(bad) == "SignatureDoesNotMatch");
  auto missing = put("no trailer signature", false, true);
  CHECK(missing.status == 403);
  // The rejected bodies stored nothing.
  http::Request get = Server::Make("GET", "/trail/obj", "", {});
  sigv4::SignRequest(get, creds, "us-east-1", "s3", s.clock.NowMillis(), true);
  auto got = s.emu->Handle(get);
  CHECK(Server::Body(got) == "signed trailer body");
}

TEST_CASE("s3: PlanVersionedExpiry", "[s3]") {
  std::vector<LifecycleRule> rules(1);
  rules[0].days = 1;
  rules[0].noncurrent_days = 2;
  auto ver = [](const std::string& id, int64_t ms, bool marker = false) {
    ObjectVersion v;
    v.key = "k";
    v.version_id = id;
    v.modified_ms = ms;
    v.delete_marker = marker;
    return v;
  };
  // v2 (current, day 3.5) over v1 (day 0.5): v1 noncurrent since day 3.5 → expires at day 6.
  std::vector<ObjectVersion> vs = {ver("v2", 3 * kDay + kDay / 2), ver("v1", kDay / 2)};
  auto p = PlanVersionedExpiry(rules, vs, 4 * kDay);
  CHECK_FALSE(p.add_marker);
  CHECK(p.delete_version_ids.empty());
  p = PlanVersionedExpiry(rules, vs, 5 * kDay);  // v2 expires at midnight after day 4.5
  CHECK(p.add_marker);
  CHECK(p.marker_ms == 5 * kDay);
  CHECK(p.delete_version_ids.empty());
  p = PlanVersionedExpiry(rules, vs, 6 * kDay);
  CHECK(p.delete_version_ids == std::vector<std::string>{"v1"});
  // v2 became noncurrent at the marker (day 5) → expires at day 7.
  p = PlanVersionedExpiry(rules, vs, 7 * kDay);
  CHECK(p.delete_version_ids == std::vector<std::string>{"v2", "v1"});
  // A delete marker on top is never expired again.
  std::vector<ObjectVersion> marked = {ver("m", 5 * kDay, true), ver("v2", 3 * kDay)};
  CHECK_FALSE(PlanVersionedExpiry(rules, marked, 9 * kDay).add_marker);
}

TEST_CASE("s3: lifecycle in a versioned bucket: delete markers and noncurrent expiry", "[s3]") {
  Server s;
  s.Call("PUT", "/lcver");
  s.Call("PUT", "/lcver?versioning",
         "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>");
  std::string lc =
      "<LifecycleConfiguration><Rule><ID>r</ID><Filter><Prefix>tmp/</Prefix></Filter>"
      "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"
      "<NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays>"
      "</NoncurrentVersionExpiration></Rule></LifecycleConfiguration>";
  REQUIRE(s.Call("PUT", "/lcver?lifecycle", lc).status == 200);
  std::string v1 = s.Call("PUT", "/lcver/tmp/a", "one").Header("x-amz-version-id");
  s.Call("PUT", "/lcver/keep/b", "kept");
  CHECK(s.Call("HEAD", "/lcver/tmp/a").status == 200);

  s.clock.Advance(2 * kDay);
  auto gone = s.Call("GET", "/lcver/tmp/a");
  CHECK(gone.status == 404);
  CHECK(gone.Header("x-amz-delete-marker") == "true");
  auto old = s.Call("GET", "/lcver/tmp/a?versionId=" + v1);
  CHECK(Server::Body(old) == "one");
  CHECK(s.Call("HEAD", "/lcver/keep/b").status == 200);
  auto versions = s.Call("GET", "/lcver?versions");
  auto doc = xml::Parse(versions.body);
  REQUIRE(doc);
  REQUIRE(doc->Children("DeleteMarker").size() == 1);
  CHECK(doc->Children("DeleteMarker")[0]->ChildText("Key") == "tmp/a");
  CHECK(doc->Children("Version").size() == 2);
  auto list = s.Call("GET", "/lcver?list-type=2");
  CHECK(list.body.find("<Key>tmp/a</Key>") == std::string::npos);
  CHECK(list.body.find("<Key>keep/b</Key>") != std::string::npos);

  // The version became noncurrent at the marker; 3 days later it is gone. The marker, now
  // the only version of tmp/a and older than the rule's Days, is removed too (AWS's
  // Days-based expired-object-delete-marker cleanup).
  s.clock.Advance(4 * kDay);
  CHECK(s.Call("GET", "/lcver/tmp/a?versionId=" + v1).status == 404);
  doc = xml::Parse(s.Call("GET", "/lcver?versions").body);
  REQUIRE(doc);
  CHECK(doc->Children("Version").size() == 1);
  CHECK(doc->Children("DeleteMarker").empty());
}
