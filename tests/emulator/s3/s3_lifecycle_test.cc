// S3 lifecycle beyond plain expiration: ExpiredObjectDeleteMarker, AbortIncompleteMultipartUpload,
// Transition / NoncurrentVersionTransition, size and tag filters, and the validation of
// PutBucketLifecycleConfiguration. Time moves with a manual clock.
#include <catch2/catch.hpp>

#include "emulator/s3/s3_lifecycle.h"
#include "emulator/s3/s3_service.h"
#include "emulator/server/emulator.h"
#include "protocol/query/xml_reader.h"
#include "tests/emulator/s3/s3_test_request.h"

using namespace edastack;
using namespace edastack::s3;

namespace {

constexpr int64_t kDay = 86400000;

struct Server : edastack::testing::S3TestServer {
  void Versioned(const std::string& bucket) {
    Call("PUT", "/" + bucket);
    Call("PUT", "/" + bucket + "?versioning",
         "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>");
  }
};

using edastack::testing::Code;

std::string Rules(const std::string& rules) {
  return "<LifecycleConfiguration>" + rules + "</LifecycleConfiguration>";
}

std::string Rule(const std::string& filter, const std::string& actions) {
  return "<Rule><ID>r" + std::to_string(std::hash<std::string>()(filter + actions) % 100000) +
         "</ID>" + filter + "<Status>Enabled</Status>" + actions + "</Rule>";
}

std::string PutLifecycleCode(Server& s, const std::string& bucket, const std::string& rules) {
  auto r = s.Call("PUT", "/" + bucket + "?lifecycle", Rules(rules));
  return r.status == 200 ? "" : Code(r);
}

}  // namespace

TEST_CASE("s3 lifecycle: validation of PutBucketLifecycleConfiguration", "[s3]") {
  Server s;
  s.Call("PUT", "/val");
  const std::string all = "<Filter><Prefix></Prefix></Filter>";
  CHECK(PutLifecycleCode(s, "val", Rule(all, "<Expiration><Days>3</Days></Expiration>")) == "");
  CHECK(PutLifecycleCode(s, "val", Rule("<Prefix>x/</Prefix>",
                                        "<Expiration><Days>3</Days></Expiration>")) == "");
  // No action.
  CHECK(PutLifecycleCode(s, "val", Rule(all, "")) == "InvalidRequest");
  // ExpiredObjectDeleteMarker beside Days / Date.
  CHECK(PutLifecycleCode(s, "val", Rule(all, "<Expiration><Days>3</Days><ExpiredObjectDeleteMarker>"
                                             "true</ExpiredObjectDeleteMarker></Expiration>")) ==
        "MalformedXML");
  CHECK(PutLifecycleCode(s, "val",
                         Rule(all, "<Expiration><Date>2030-01-01T00:00:00Z</Date>"
                                   "<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>"
                                   "</Expiration>")) == "MalformedXML");
  // Days must be positive; Date at midnight.
  CHECK(PutLifecycleCode(s, "val", Rule(all, "<Expiration><Days>0</Days></Expiration>")) ==
        "InvalidArgument");
  CHECK(PutLifecycleCode(s, "val", Rule(all, "<Expiration><Date>2030-01-01T10:00:00Z</Date>"
                                             "</Expiration>")) == "InvalidArgument");
  CHECK(PutLifecycleCode(s, "val", Rule(all, "<NoncurrentVersionExpiration><NoncurrentDays>-1"
                                             "</NoncurrentDays></NoncurrentVersionExpiration>")) ==
        "InvalidArgument");
  CHECK(PutLifecycleCode(s, "val", Rule(all, "<AbortIncompleteMultipartUpload><DaysAfterInitiation>"
                                             "0</DaysAfterInitiation>"
                                             "</AbortIncompleteMultipartUpload>")) ==
        "InvalidArgument");
  CHECK(PutLifecycleCode(s, "val", Rule(all, "<AbortIncompleteMultipartUpload>"
                                             "</AbortIncompleteMultipartUpload>")) == "MalformedXML");
  // Transitions: a known class, Days >= 30 for the IA classes, 0 allowed for Glacier.
  CHECK(PutLifecycleCode(s, "val", Rule(all, "<Transition><Days>0</Days><StorageClass>GLACIER"
                                             "</StorageClass></Transition>")) == "");
  CHECK(PutLifecycleCode(s, "val", Rule(all, "<Transition><Days>10</Days><StorageClass>STANDARD_IA"
                                             "</StorageClass></Transition>")) == "InvalidArgument");
  CHECK(PutLifecycleCode(s, "val", Rule(all, "<Transition><Days>40</Days><StorageClass>STANDARD"
                                             "</StorageClass></Transition>")) == "MalformedXML");
  CHECK(PutLifecycleCode(s, "val", Rule(all, "<NoncurrentVersionTransition><NoncurrentDays>5"
                                             "</NoncurrentDays><StorageClass>ONEZONE_IA"
                                             "</StorageClass></NoncurrentVersionTransition>")) ==
        "InvalidArgument");
  // Filter and Prefix: exactly one; one condition per Filter unless inside And.
  CHECK(PutLifecycleCode(s, "val", "<Rule><Status>Enabled</Status><Expiration><Days>1</Days>"
                                   "</Expiration></Rule>") == "MalformedXML");
  CHECK(PutLifecycleCode(s, "val", Rule("<Prefix>a</Prefix>" + all,
                                        "<Expiration><Days>1</Days></Expiration>")) == "MalformedXML");
  CHECK(PutLifecycleCode(s, "val", Rule("<Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value>"
                                        "</Tag></Filter>",
                                        "<Expiration><Days>1</Days></Expiration>")) == "MalformedXML");
  // Tag filters are not allowed with ExpiredObjectDeleteMarker / AbortIncompleteMultipartUpload.
  const std::string tagged = "<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>";
  CHECK(PutLifecycleCode(s, "val", Rule(tagged, "<Expiration><ExpiredObjectDeleteMarker>true"
                                                "</ExpiredObjectDeleteMarker></Expiration>")) ==
        "InvalidRequest");
  CHECK(PutLifecycleCode(s, "val", Rule(tagged, "<AbortIncompleteMultipartUpload>"
                                                "<DaysAfterInitiation>1</DaysAfterInitiation>"
                                                "</AbortIncompleteMultipartUpload>")) ==
        "InvalidRequest");
  // Duplicate IDs; Status.
  std::string r1 = "<Rule><ID>same</ID>" + all + "<Status>Enabled</Status><Expiration><Days>1"
                   "</Days></Expiration></Rule>";
  CHECK(PutLifecycleCode(s, "val", r1 + r1) == "InvalidArgument");
  CHECK(PutLifecycleCode(s, "val", "<Rule>" + all + "<Status>On</Status><Expiration><Days>1"
                                   "</Days></Expiration></Rule>") == "MalformedXML");
  // The minimum-size header is validated, stored and echoed.
  auto bad = s.Call("PUT", "/val?lifecycle", Rules(Rule(all, "<Expiration><Days>3</Days></Expiration>")),
                    {{"x-amz-transition-default-minimum-object-size", "tiny"}});
  CHECK(bad.status == 400);
  auto ok = s.Call("PUT", "/val?lifecycle", Rules(Rule(all, "<Expiration><Days>3</Days></Expiration>")),
                   {{"x-amz-transition-default-minimum-object-size", "varies_by_storage_class"}});
  CHECK(ok.status == 200);
  CHECK(s.Call("GET", "/val?lifecycle").Header("x-amz-transition-default-minimum-object-size") ==
        "varies_by_storage_class");
}

TEST_CASE("s3 lifecycle: ExpiredObjectDeleteMarker removes a marker left alone", "[s3]") {
  Server s;
  s.Versioned("eodm");
  REQUIRE(PutLifecycleCode(s, "eodm",
                           Rule("<Filter><Prefix>d/</Prefix></Filter>",
                                "<Expiration><ExpiredObjectDeleteMarker>true"
                                "</ExpiredObjectDeleteMarker></Expiration>"
                                "<NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays>"
                                "</NoncurrentVersionExpiration>")) == "");
  s.Call("PUT", "/eodm/d/a", "one");
  s.Call("PUT", "/eodm/keep/b", "two");
  s.Call("DELETE", "/eodm/d/a");      // marker over one version
  s.Call("DELETE", "/eodm/keep/b");   // outside the rule's prefix
  auto count = [&](const char* what) {
    auto doc = xml::Parse(s.Call("GET", "/eodm?versions").body);
    REQUIRE(doc);
    return doc->Children(what).size();
  };
  CHECK(count("DeleteMarker") == 2);
  s.clock.Advance(kDay);  // the version is noncurrent for < 2 days: nothing yet
  CHECK(count("DeleteMarker") == 2);
  CHECK(count("Version") == 2);
  s.clock.Advance(2 * kDay);  // the version expired; the marker is alone and goes too
  CHECK(count("Version") == 1);
  CHECK(count("DeleteMarker") == 1);
  auto doc = xml::Parse(s.Call("GET", "/eodm?versions").body);
  CHECK(doc->Children("DeleteMarker")[0]->ChildText("Key") == "keep/b");
  CHECK(s.Call("HEAD", "/eodm/d/a").Header("x-amz-delete-marker") == "");
}

TEST_CASE("s3 lifecycle: an Expiration Days rule removes a lone marker once old enough", "[s3]") {
  Server s;
  s.Versioned("lone");
  REQUIRE(PutLifecycleCode(s, "lone", Rule("<Filter></Filter>",
                                           "<Expiration><Days>5</Days></Expiration>")) == "");
  std::string v = s.Call("PUT", "/lone/k", "x").Header("x-amz-version-id");
  s.Call("DELETE", "/lone/k");
  s.Call("DELETE", "/lone/k?versionId=" + v);  // the marker is now the only version
  s.clock.Advance(3 * kDay);
  CHECK(xml::Parse(s.Call("GET", "/lone?versions").body)->Children("DeleteMarker").size() == 1);
  s.clock.Advance(3 * kDay);
  CHECK(xml::Parse(s.Call("GET", "/lone?versions").body)->Children("DeleteMarker").empty());
}

TEST_CASE("s3 lifecycle: AbortIncompleteMultipartUpload", "[s3]") {
  Server s;
  s.Call("PUT", "/mpu");
  REQUIRE(PutLifecycleCode(s, "mpu", Rule("<Filter><Prefix>tmp/</Prefix></Filter>",
                                          "<AbortIncompleteMultipartUpload><DaysAfterInitiation>2"
                                          "</DaysAfterInitiation></AbortIncompleteMultipartUpload>")) ==
          "");
  auto init = [&](const std::string& key) {
    return xml::Parse(s.Call("POST", "/mpu/" + key + "?uploads").body)->ChildText("UploadId");
  };
  std::string tmp = init("tmp/a"), keep = init("keep/b");
  REQUIRE(s.Call("PUT", "/mpu/tmp/a?partNumber=1&uploadId=" + tmp, "part").status == 200);
  auto listed = [&] {
    auto doc = xml::Parse(s.Call("GET", "/mpu?uploads").body);
    REQUIRE(doc);
    return doc->Children("Upload").size();
  };
  s.clock.Advance(2 * kDay - 1000);  // still before the second midnight after initiation
  CHECK(listed() == 2);
  CHECK(s.Call("GET", "/mpu/tmp/a?uploadId=" + tmp).status == 200);
  s.clock.Advance(kDay);
  CHECK(Code(s.Call("GET", "/mpu/tmp/a?uploadId=" + tmp)) == "NoSuchUpload");
  CHECK(Code(s.Call("PUT", "/mpu/tmp/a?partNumber=2&uploadId=" + tmp, "p")) == "NoSuchUpload");
  CHECK(Code(s.Call("POST", "/mpu/tmp/a?uploadId=" + tmp,
                    "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag>"
                    "</Part></CompleteMultipartUpload>")) == "NoSuchUpload");
  CHECK(Code(s.Call("DELETE", "/mpu/tmp/a?uploadId=" + tmp)) == "NoSuchUpload");
  CHECK(listed() == 1);
  CHECK(s.Call("GET", "/mpu/keep/b?uploadId=" + keep).status == 200);
  // An upload that expires without being touched first disappears from the listing too.
  std::string later = init("tmp/c");
  s.clock.Advance(3 * kDay);
  auto doc = xml::Parse(s.Call("GET", "/mpu?uploads").body);
  REQUIRE(doc->Children("Upload").size() == 1);
  CHECK(doc->Children("Upload")[0]->ChildText("UploadId") == keep);
  CHECK(Code(s.Call("GET", "/mpu/tmp/c?uploadId=" + later)) == "NoSuchUpload");
}

TEST_CASE("s3 lifecycle: transitions change the reported storage class", "[s3]") {
  Server s;
  s.Versioned("trn");
  // Objects under 128 KiB transition only with a size filter (the default minimum size).
  const std::string big(200 * 1024, 'b');
  REQUIRE(PutLifecycleCode(
              s, "trn",
              Rule("<Filter><Prefix>t/</Prefix></Filter>",
                   "<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"
                   "<Transition><Days>60</Days><StorageClass>GLACIER</StorageClass></Transition>"
                   "<NoncurrentVersionTransition><NoncurrentDays>1</NoncurrentDays>"
                   "<StorageClass>DEEP_ARCHIVE</StorageClass></NoncurrentVersionTransition>") +
                  Rule("<Filter><And><Prefix>s/</Prefix><ObjectSizeGreaterThan>0"
                       "</ObjectSizeGreaterThan></And></Filter>",
                       "<Transition><Days>0</Days><StorageClass>GLACIER_IR</StorageClass>"
                       "</Transition>")) == "");
  std::string v1 = s.Call("PUT", "/trn/t/big", big).Header("x-amz-version-id");
  s.Call("PUT", "/trn/t/small", "tiny");
  s.Call("PUT", "/trn/s/small", "tiny");
  s.Call("PUT", "/trn/s/empty", "");
  CHECK(s.Call("HEAD", "/trn/t/big").Header("x-amz-storage-class") == "");
  s.clock.Advance(kDay);  // past midnight: Days 0 is due
  CHECK(s.Call("HEAD", "/trn/s/small").Header("x-amz-storage-class") == "GLACIER_IR");
  CHECK(s.Call("HEAD", "/trn/s/empty").Header("x-amz-storage-class") == "");  // size 0 ≯ 0
  s.clock.Advance(30 * kDay);
  CHECK(s.Call("HEAD", "/trn/t/big").Header("x-amz-storage-class") == "STANDARD_IA");
  CHECK(s.Call("HEAD", "/trn/t/small").Header("x-amz-storage-class") == "");
  s.clock.Advance(30 * kDay);
  CHECK(s.Call("HEAD", "/trn/t/big").Header("x-amz-storage-class") == "GLACIER");
  CHECK(Code(s.Call("GET", "/trn/t/big")) == "InvalidObjectState");  // archived now
  auto list = s.Call("GET", "/trn?list-type=2&prefix=t/");
  CHECK(list.body.find("<Key>t/big</Key><LastModified>") != std::string::npos);
  CHECK(list.body.find("<StorageClass>GLACIER</StorageClass>") != std::string::npos);
  CHECK(list.body.find("<StorageClass>STANDARD</StorageClass>") != std::string::npos);  // t/small
  // Overwrite: v1 is noncurrent from now and goes to DEEP_ARCHIVE a day later (midnight).
  s.Call("PUT", "/trn/t/big", big);
  CHECK(s.Call("HEAD", "/trn/t/big?versionId=" + v1).Header("x-amz-storage-class") == "GLACIER");
  s.clock.Advance(2 * kDay);
  CHECK(s.Call("HEAD", "/trn/t/big?versionId=" + v1).Header("x-amz-storage-class") == "DEEP_ARCHIVE");
  CHECK(s.Call("HEAD", "/trn/t/big").Header("x-amz-storage-class") == "");  // the new current one
  auto doc = xml::Parse(s.Call("GET", "/trn?versions&prefix=t/big").body);
  REQUIRE(doc);
  auto versions = doc->Children("Version");
  REQUIRE(versions.size() == 2);
  CHECK(versions[0]->ChildText("StorageClass") == "STANDARD");
  CHECK(versions[1]->ChildText("StorageClass") == "DEEP_ARCHIVE");
}

TEST_CASE("s3 lifecycle: tag and size filters select what expires", "[s3]") {
  Server s;
  s.Call("PUT", "/flt");
  REQUIRE(PutLifecycleCode(
              s, "flt",
              Rule("<Filter><And><Prefix>a/</Prefix><Tag><Key>t</Key><Value>1</Value></Tag>"
                   "<ObjectSizeLessThan>10</ObjectSizeLessThan></And></Filter>",
                   "<Expiration><Days>1</Days></Expiration>")) == "");
  s.Call("PUT", "/flt/a/hit", "small", {{"x-amz-tagging", "t=1"}});
  s.Call("PUT", "/flt/a/untagged", "small");
  s.Call("PUT", "/flt/a/large", "larger than ten", {{"x-amz-tagging", "t=1"}});
  s.Call("PUT", "/flt/b/other", "small", {{"x-amz-tagging", "t=1"}});
  s.clock.Advance(2 * kDay);
  CHECK(s.Call("HEAD", "/flt/a/hit").status == 404);
  CHECK(s.Call("HEAD", "/flt/a/untagged").status == 200);
  CHECK(s.Call("HEAD", "/flt/a/large").status == 200);
  CHECK(s.Call("HEAD", "/flt/b/other").status == 200);
  CHECK(Code(s.Call("PUT", "/flt/copy", "", {{"x-amz-copy-source", "/flt/a/hit"}})) == "NoSuchKey");
  CHECK(s.Call("PUT", "/flt/copy", "", {{"x-amz-copy-source", "/flt/a/large"}}).status == 200);
}

TEST_CASE("s3 lifecycle: EffectiveStorageClass follows the waterfall", "[s3]") {
  std::vector<LifecycleRule> rules(1);
  rules[0].size_gt = 0;
  rules[0].transitions = {{1, -1, "GLACIER"}, {40, -1, "STANDARD_IA"}};
  ObjectVersion v;
  v.key = "k";
  v.size = 5;
  CHECK(EffectiveStorageClass(rules, v, -1, 0).empty());
  CHECK(EffectiveStorageClass(rules, v, -1, 50 * kDay) == "GLACIER");  // never back up to IA
  v.attrs.storage_class = "DEEP_ARCHIVE";
  CHECK(EffectiveStorageClass(rules, v, -1, 50 * kDay) == "DEEP_ARCHIVE");
  // A noncurrent version keeps only the transitions due while it was current.
  v.attrs.storage_class.clear();
  CHECK(EffectiveStorageClass(rules, v, kDay / 2, 50 * kDay).empty());
}
