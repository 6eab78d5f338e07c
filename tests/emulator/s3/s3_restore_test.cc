// S3 archived objects and RestoreObject on a manual clock: InvalidObjectState on reads and
// copies, the restore's states (x-amz-restore, RestoreStatus), its errors, lifecycle
// transitions into GLACIER, the ObjectRestore notifications and their survival of a restart;
// NewerNoncurrentVersions; per-part checksums on partNumber reads.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "emulator/s3/checksums.h"
#include "emulator/s3/s3_restore.h"
#include "emulator/s3/s3_service.h"
#include "emulator/server/emulator.h"
#include "protocol/core/time_format.h"
#include "protocol/query/xml_reader.h"
#include "tests/emulator/replay_helpers.h"
#include "tests/emulator/s3/s3_test_request.h"

using namespace edastack;
using namespace edastack::s3;
using edastack::testing::Code;
using edastack::testing::S3Body;

namespace {

constexpr int64_t kDay = 86400000;
const char* kRestore1Day =
    "<RestoreRequest><Days>1</Days><GlacierJobParameters><Tier>Standard</Tier>"
    "</GlacierJobParameters></RestoreRequest>";

struct Server : edastack::testing::S3TestServer {
  S3Service& s3() { return *dynamic_cast<S3Service*>(emu->service(http::Service::kS3)); }
  int64_t Delay() const { return emu->options().s3_restore_delay_ms; }
  void PutGlacier(const std::string& path, const std::string& body,
                  const std::string& storage_class = "GLACIER") {
    REQUIRE(Call("PUT", path, body, {{"x-amz-storage-class", storage_class}}).status == 200);
  }
};

// The expiry AWS gives a copy restored at `ready_ms` for `days`: the next midnight UTC after.
std::string BodyOf(http::Response r) { return S3Body(r); }

int64_t Midnight(int64_t ready_ms, int64_t days) {
  return (ready_ms + days * kDay + kDay - 1) / kDay * kDay;
}

std::string ListXml(Server& s, const std::string& target, bool restore_status) {
  std::vector<std::pair<std::string, std::string>> h;
  if (restore_status) h.emplace_back("x-amz-optional-object-attributes", "RestoreStatus");
  return s.Call("GET", target, "", h).body;
}

}  // namespace

TEST_CASE("s3 restore: archived objects are not readable; HEAD reports them", "[s3][restore]") {
  Server s;
  s.Call("PUT", "/arc");
  s.PutGlacier("/arc/g", "frozen");
  s.PutGlacier("/arc/d", "deep", "DEEP_ARCHIVE");
  s.PutGlacier("/arc/ir", "instant", "GLACIER_IR");

  auto get = s.Call("GET", "/arc/g");
  CHECK(get.status == 403);
  CHECK(Code(get) == "InvalidObjectState");
  CHECK(xml::Parse(get.body)->ChildText("StorageClass") == "GLACIER");
  auto ranged = s.Call("GET", "/arc/d", "", {{"Range", "bytes=0-1"}});
  CHECK(ranged.status == 403);
  CHECK(xml::Parse(ranged.body)->ChildText("StorageClass") == "DEEP_ARCHIVE");
  CHECK(s.Call("GET", "/arc/g?partNumber=1").status == 403);
  auto head = s.Call("HEAD", "/arc/g");
  CHECK(head.status == 200);
  CHECK(head.Header("x-amz-storage-class") == "GLACIER");
  CHECK(head.Header("Content-Length") == "6");
  CHECK(head.Header("x-amz-restore").empty());
  // GLACIER_IR is read directly.
  auto ir = s.Call("GET", "/arc/ir");
  CHECK(ir.status == 200);
  CHECK(S3Body(ir) == "instant");

  // Neither CopyObject nor UploadPartCopy reads an archived source.
  auto copy = s.Call("PUT", "/arc/copy", "", {{"x-amz-copy-source", "/arc/g"}});
  CHECK(copy.status == 403);
  CHECK(Code(copy) == "InvalidObjectState");
  auto init = s.Call("POST", "/arc/mp?uploads");
  std::string id = xml::Parse(init.body)->ChildText("UploadId");
  auto part = s.Call("PUT", "/arc/mp?partNumber=1&uploadId=" + id, "",
                     {{"x-amz-copy-source", "/arc/d"}});
  CHECK(part.status == 403);
  CHECK(Code(part) == "InvalidObjectState");
  // A multipart upload created as GLACIER is archived too.
  auto mp = s.Call("POST", "/arc/mpg?uploads", "", {{"x-amz-storage-class", "GLACIER"}});
  std::string mid = xml::Parse(mp.body)->ChildText("UploadId");
  auto p1 = s.Call("PUT", "/arc/mpg?partNumber=1&uploadId=" + mid, "part");
  REQUIRE(s.Call("POST", "/arc/mpg?uploadId=" + mid,
                 "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" +
                     p1.Header("ETag") + "</ETag></Part></CompleteMultipartUpload>")
              .status == 200);
  CHECK(Code(s.Call("GET", "/arc/mpg")) == "InvalidObjectState");
}

TEST_CASE("s3 restore: in progress, restored until the midnight after Days, then archived again",
          "[s3][restore]") {
  Server s;
  s.Call("PUT", "/rst");
  s.PutGlacier("/rst/k", "cold body");
  int64_t start = s.clock.NowMillis();

  CHECK(s.Call("POST", "/rst/k?restore", kRestore1Day).status == 202);
  CHECK(s.Call("HEAD", "/rst/k").Header("x-amz-restore") == "ongoing-request=\"true\"");
  auto again = s.Call("POST", "/rst/k?restore", kRestore1Day);
  CHECK(again.status == 409);
  CHECK(Code(again) == "RestoreAlreadyInProgress");
  CHECK(Code(s.Call("GET", "/rst/k")) == "InvalidObjectState");
  auto listed = xml::Parse(ListXml(s, "/rst?list-type=2", true));
  CHECK(listed->Child("Contents")->Child("RestoreStatus")->ChildText("IsRestoreInProgress") ==
        "true");
  CHECK(ListXml(s, "/rst?list-type=2", false).find("RestoreStatus") == std::string::npos);

  s.clock.Advance(s.Delay());
  int64_t expiry = Midnight(start + s.Delay(), 1);
  CHECK(s.Call("HEAD", "/rst/k").Header("x-amz-restore") ==
        "ongoing-request=\"false\", expiry-date=\"" + timefmt::Rfc7231(expiry) + "\"");
  auto get = s.Call("GET", "/rst/k");
  CHECK(get.status == 200);
  CHECK(S3Body(get) == "cold body");
  CHECK(get.Header("x-amz-storage-class") == "GLACIER");
  auto restored = xml::Parse(ListXml(s, "/rst?list-type=2", true));
  const xml::Node* status = restored->Child("Contents")->Child("RestoreStatus");
  REQUIRE(status);
  CHECK(status->ChildText("IsRestoreInProgress") == "false");
  CHECK(status->ChildText("RestoreExpiryDate") == timefmt::Iso8601Millis(expiry));
  auto versions = xml::Parse(ListXml(s, "/rst?versions", true));
  CHECK(versions->Child("Version")->Child("RestoreStatus")->ChildText("IsRestoreInProgress") ==
        "false");

  // A restored copy can be copied out; the copy is STANDARD and readable.
  REQUIRE(s.Call("PUT", "/rst/out", "", {{"x-amz-copy-source", "/rst/k"}}).status == 200);
  auto out = s.Call("GET", "/rst/out");
  CHECK(S3Body(out) == "cold body");
  CHECK(out.Header("x-amz-storage-class").empty());

  // Restoring a restored copy answers 200 and moves the expiry to Days after this request.
  s.clock.Advance(kDay / 2);
  CHECK(s.Call("POST", "/rst/k?restore", "<RestoreRequest><Days>3</Days></RestoreRequest>")
            .status == 200);
  int64_t extended = Midnight(s.clock.NowMillis(), 3);
  CHECK(s.Call("HEAD", "/rst/k").Header("x-amz-restore") ==
        "ongoing-request=\"false\", expiry-date=\"" + timefmt::Rfc7231(extended) + "\"");

  // After the expiry the object is archived again, and a new restore starts over.
  s.clock.Set(extended);
  CHECK(Code(s.Call("GET", "/rst/k")) == "InvalidObjectState");
  CHECK(s.Call("HEAD", "/rst/k").Header("x-amz-restore").empty());
  CHECK(s.Call("POST", "/rst/k?restore", kRestore1Day).status == 202);
}

TEST_CASE("s3 restore: errors", "[s3][restore]") {
  Server s;
  s.Call("PUT", "/rer");
  s.Call("PUT", "/rer/std", "plain");
  s.PutGlacier("/rer/g", "g");
  auto not_archived = s.Call("POST", "/rer/std?restore", kRestore1Day);
  CHECK(not_archived.status == 403);
  CHECK(Code(not_archived) == "InvalidObjectState");
  CHECK(Code(s.Call("POST", "/rer/none?restore", kRestore1Day)) == "NoSuchKey");
  CHECK(Code(s.Call("POST", "/nobucket/g?restore", kRestore1Day)) == "NoSuchBucket");
  CHECK(Code(s.Call("POST", "/rer/g?restore&versionId=nope1234", kRestore1Day)) == "NoSuchVersion");
  CHECK(Code(s.Call("POST", "/rer/g?restore", "")) == "MalformedXML");
  CHECK(Code(s.Call("POST", "/rer/g?restore", "<RestoreRequest><Days>1</Days>")) == "MalformedXML");
  CHECK(Code(s.Call("POST", "/rer/g?restore", "<RestoreRequest/>")) == "MalformedXML");
  CHECK(Code(s.Call("POST", "/rer/g?restore", "<RestoreRequest><Days>x</Days></RestoreRequest>")) ==
        "MalformedXML");
  CHECK(Code(s.Call("POST", "/rer/g?restore",
                    "<RestoreRequest><Days>1</Days><GlacierJobParameters><Tier>Fast</Tier>"
                    "</GlacierJobParameters></RestoreRequest>")) == "MalformedXML");
  auto zero = s.Call("POST", "/rer/g?restore", "<RestoreRequest><Days>0</Days></RestoreRequest>");
  CHECK(zero.status == 400);
  CHECK(Code(zero) == "InvalidArgument");
  // None of them started a restore.
  CHECK(s.Call("HEAD", "/rer/g").Header("x-amz-restore").empty());
  CHECK(s.s3().CompleteRestores(s.clock.NowMillis() + kDay) == 0);
}

TEST_CASE("s3 restore: versions and lifecycle transitions into GLACIER", "[s3][restore]") {
  Server s;
  s.Call("PUT", "/rlc");
  s.Call("PUT", "/rlc?versioning",
         "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>");
  s.PutGlacier("/rlc/k", "old");
  std::string old_vid = s.Call("HEAD", "/rlc/k").Header("x-amz-version-id");
  s.Call("PUT", "/rlc/k", "new");
  // A restore names its version; the current STANDARD version is not restorable.
  CHECK(Code(s.Call("POST", "/rlc/k?restore", kRestore1Day)) == "InvalidObjectState");
  CHECK(s.Call("POST", "/rlc/k?restore&versionId=" + old_vid, kRestore1Day).status == 202);
  s.clock.Advance(s.Delay());
  CHECK(BodyOf(s.Call("GET", "/rlc/k?versionId=" + old_vid)).size() == 3);

  // A Transition to GLACIER archives the object once due; small objects need
  // varies_by_storage_class.
  s.Call("PUT", "/trx");
  s.Call("PUT", "/trx/x", "transitioned");
  REQUIRE(s.Call("PUT", "/trx?lifecycle",
                 "<LifecycleConfiguration><Rule><ID>g</ID><Filter><Prefix></Prefix></Filter>"
                 "<Status>Enabled</Status><Transition><Days>1</Days><StorageClass>GLACIER"
                 "</StorageClass></Transition></Rule></LifecycleConfiguration>",
                 {{"x-amz-transition-default-minimum-object-size", "varies_by_storage_class"}})
              .status == 200);
  CHECK(s.Call("GET", "/trx/x").status == 200);
  s.clock.Advance(2 * kDay);
  CHECK(Code(s.Call("GET", "/trx/x")) == "InvalidObjectState");
  CHECK(s.Call("POST", "/trx/x?restore", kRestore1Day).status == 202);
  s.clock.Advance(s.Delay());
  CHECK(BodyOf(s.Call("GET", "/trx/x")) == "transitioned");
}

TEST_CASE("s3 restore: ObjectRestore notifications and state survive a restart",
          "[s3][restore][outbox]") {
  edastack::testing::DataDir dir("s3-restore");
  auto add = [](Emulator& e) { e.AddService(http::Service::kS3, std::make_unique<S3Service>(e)); };
  auto call = [](edastack::testing::ReplayProcess& p, const std::string& method,
                 const std::string& target, const std::string& body = "",
                 std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request r = edastack::testing::S3Request(method, target, body, headers);
    return p.emu->Handle(r);
  };
  int64_t ready = 0;
  size_t before = 0;
  {
    edastack::testing::ReplayProcess p(dir.Options(false), add);
    REQUIRE(call(p, "PUT", "/ntf").status == 200);
    REQUIRE(call(p, "PUT", "/ntf?notification",
                 "<NotificationConfiguration><QueueConfiguration><Id>r</Id>"
                 "<Queue>arn:aws:sqs:us-east-1:000000000000:q</Queue>"
                 "<Event>s3:ObjectRestore:*</Event></QueueConfiguration>"
                 "</NotificationConfiguration>")
                .status == 200);
    before = p.sqs->Count();  // the s3:TestEvent
    REQUIRE(call(p, "PUT", "/ntf/k", "archived", {{"x-amz-storage-class", "DEEP_ARCHIVE"}})
                .status == 200);
    REQUIRE(call(p, "POST", "/ntf/k?restore", kRestore1Day).status == 202);
    ready = p.clock.NowMillis() + p.emu->options().s3_restore_delay_ms;
    auto got = p.sqs->WaitFor(before + 1);
    REQUIRE(got.size() == before + 1);
    auto post = nlohmann::json::parse(got.back())["Records"][0];
    CHECK(post["eventName"] == "ObjectRestore:Post");
    CHECK(post["s3"]["object"]["size"] == 8);
  }
  edastack::testing::ReplayProcess p(dir.Options(false), add);
  auto& svc = *dynamic_cast<S3Service*>(p.emu->service(http::Service::kS3));
  CHECK(call(p, "HEAD", "/ntf/k").Header("x-amz-restore") == "ongoing-request=\"true\"");
  CHECK(svc.CompleteRestores(ready - 1) == 0);
  p.clock.Set(ready);
  svc.CompleteRestores(ready);  // 1, unless the service's own thread got there first
  auto got = p.sqs->WaitFor(1);
  REQUIRE(got.size() == 1);
  auto done = nlohmann::json::parse(got[0])["Records"][0];
  CHECK(done["eventName"] == "ObjectRestore:Completed");
  CHECK(done["eventTime"] == timefmt::Iso8601Millis(ready));
  CHECK(done["glacierEventData"]["restoreEventData"]["lifecycleRestorationExpiryTime"] ==
        timefmt::Iso8601Millis(Midnight(ready, 1)));
  CHECK(done["glacierEventData"]["restoreEventData"]["lifecycleRestoreStorageClass"] ==
        "DEEP_ARCHIVE");
  CHECK(svc.CompleteRestores(ready + kDay) == 0);  // owed once only
  auto get = call(p, "GET", "/ntf/k");
  CHECK(get.status == 200);
  CHECK(S3Body(get) == "archived");
}

TEST_CASE("s3 lifecycle: NewerNoncurrentVersions", "[s3][lifecycle]") {
  Server s;
  s.Call("PUT", "/nnv");
  auto put_lc = [&](const std::string& actions) {
    return s.Call("PUT", "/nnv?lifecycle",
                  "<LifecycleConfiguration><Rule><ID>n</ID><Filter><Prefix></Prefix></Filter>"
                  "<Status>Enabled</Status>" + actions + "</Rule></LifecycleConfiguration>",
                  {{"x-amz-transition-default-minimum-object-size", "varies_by_storage_class"}});
  };
  auto expiration = [](const std::string& n) {
    return "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>"
           "<NewerNoncurrentVersions>" + n + "</NewerNoncurrentVersions>"
           "</NoncurrentVersionExpiration>";
  };
  CHECK(Code(put_lc(expiration("0"))) == "InvalidArgument");
  CHECK(Code(put_lc(expiration("101"))) == "InvalidArgument");
  CHECK(Code(put_lc("<NoncurrentVersionTransition><NoncurrentDays>0</NoncurrentDays>"
                    "<StorageClass>GLACIER</StorageClass><NewerNoncurrentVersions>0"
                    "</NewerNoncurrentVersions></NoncurrentVersionTransition>")) ==
        "InvalidArgument");
  CHECK(put_lc(expiration("100")).status == 200);

  s.Call("PUT", "/nnv?versioning",
         "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>");
  REQUIRE(put_lc(expiration("2") +
                 "<NoncurrentVersionTransition><NoncurrentDays>0</NoncurrentDays>"
                 "<StorageClass>GLACIER</StorageClass><NewerNoncurrentVersions>1"
                 "</NewerNoncurrentVersions></NoncurrentVersionTransition>")
              .status == 200);
  std::vector<std::string> ids;  // oldest first
  for (int i = 0; i < 5; ++i) {
    ids.push_back(s.Call("PUT", "/nnv/k", "v" + std::to_string(i)).Header("x-amz-version-id"));
    s.clock.Advance(1000);
  }
  // At the next midnight (NoncurrentDays 0 rounds up to it) every noncurrent version but the
  // newest one is GLACIER; none has been noncurrent for a day, so all five stay.
  s.clock.Set((s.clock.NowMillis() / kDay + 1) * kDay);
  auto list = xml::Parse(s.Call("GET", "/nnv?versions").body);
  auto versions = list->Children("Version");
  REQUIRE(versions.size() == 5);
  CHECK(versions[0]->ChildText("StorageClass") == "STANDARD");  // current
  CHECK(versions[1]->ChildText("StorageClass") == "STANDARD");  // newest noncurrent
  CHECK(versions[2]->ChildText("StorageClass") == "GLACIER");
  CHECK(versions[4]->ChildText("StorageClass") == "GLACIER");
  CHECK(s.Call("GET", "/nnv/k?versionId=" + ids[3]).status == 200);
  CHECK(Code(s.Call("GET", "/nnv/k?versionId=" + ids[2])) == "InvalidObjectState");
  CHECK(s.Call("HEAD", "/nnv/k?versionId=" + ids[2]).Header("x-amz-storage-class") == "GLACIER");

  // After NoncurrentDays only the two newest noncurrent versions remain.
  s.clock.Advance(2 * kDay);
  list = xml::Parse(s.Call("GET", "/nnv?versions").body);
  versions = list->Children("Version");
  REQUIRE(versions.size() == 3);
  CHECK(versions[0]->ChildText("VersionId") == ids[4]);
  CHECK(versions[1]->ChildText("VersionId") == ids[3]);
  CHECK(versions[2]->ChildText("VersionId") == ids[2]);
}

TEST_CASE("s3: partNumber reads return the part's own checksum", "[s3]") {
  Server s;
  s.Call("PUT", "/pck");
  std::string p1(5 * 1024 * 1024, 'x'), p2 = "second part";
  auto init = s.Call("POST", "/pck/o?uploads", "", {{"x-amz-checksum-algorithm", "CRC32"}});
  std::string id = xml::Parse(init.body)->ChildText("UploadId");
  auto r1 = s.Call("PUT", "/pck/o?partNumber=1&uploadId=" + id, p1);
  auto r2 = s.Call("PUT", "/pck/o?partNumber=2&uploadId=" + id, p2);
  std::string c1 = DigestBase64(Algo::kCrc32, p1), c2 = DigestBase64(Algo::kCrc32, p2);
  REQUIRE(r2.Header("x-amz-checksum-crc32") == c2);
  REQUIRE(s.Call("POST", "/pck/o?uploadId=" + id,
                 "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" +
                     r1.Header("ETag") + "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>" +
                     r2.Header("ETag") + "</ETag></Part></CompleteMultipartUpload>")
              .status == 200);
  const std::vector<std::pair<std::string, std::string>> mode = {{"x-amz-checksum-mode", "ENABLED"}};
  auto g2 = s.Call("GET", "/pck/o?partNumber=2", "", mode);
  CHECK(g2.status == 206);
  CHECK(S3Body(g2) == p2);
  CHECK(g2.Header("x-amz-checksum-crc32") == c2);
  CHECK(g2.Header("x-amz-mp-parts-count") == "2");
  auto h1 = s.Call("HEAD", "/pck/o?partNumber=1", "", mode);
  CHECK(h1.Header("x-amz-checksum-crc32") == c1);
  // The whole object: the composite; a plain range: none; without the mode: none.
  CHECK(s.Call("HEAD", "/pck/o", "", mode).Header("x-amz-checksum-crc32").find("-2") !=
        std::string::npos);
  CHECK(s.Call("GET", "/pck/o", "", {{"x-amz-checksum-mode", "ENABLED"}, {"Range", "bytes=0-3"}})
                  .Header("x-amz-checksum-crc32").empty());
  CHECK(s.Call("GET", "/pck/o?partNumber=2").Header("x-amz-checksum-crc32").empty());
  // A copy keeps the parts' checksums.
  REQUIRE(s.Call("PUT", "/pck/c", "", {{"x-amz-copy-source", "/pck/o"}}).status == 200);
  CHECK(s.Call("GET", "/pck/c?partNumber=2", "", mode).Header("x-amz-checksum-crc32") == c2);
}
