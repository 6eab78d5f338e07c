// SigV4 against AWS's documented examples (fixtures/sigv4/<case>/): canonical request,
// string to sign and signature must match byte for byte, and the verifier must accept them.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "protocol/core/crypto.h"
#include "protocol/core/time_format.h"
#include "protocol/sigv4/signer.h"
#include "protocol/sigv4/verifier.h"

using namespace edastack;

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

http::Request ParseRawRequest(const std::string& text) {
  http::Request req;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  std::istringstream first(line);
  std::string target;
  first >> req.method >> target;
  size_t q = target.find('?');
  req.target = target.substr(0, q);
  if (q != std::string::npos) req.raw_query = target.substr(q + 1);
  req.query = str::ParseForm(req.raw_query, true);
  while (std::getline(in, line) && !line.empty()) {
    size_t colon = line.find(':');
    req.headers.emplace(line.substr(0, colon), str::Trim(line.substr(colon + 1)));
  }
  return req;
}

std::map<std::string, std::string> Meta(const std::string& path) {
  std::map<std::string, std::string> m;
  std::istringstream in(Slurp(path));
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) m[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return m;
}

}  // namespace

TEST_CASE("SigV4 documented examples", "[sigv4]") {
  auto name = GENERATE(as<std::string>{}, "iam-list-users", "s3-get-object-range",
                       "s3-presigned-get");
  std::string dir = std::string(EDASTACK_FIXTURES) + "/sigv4/" + name + "/";
  http::Request req = ParseRawRequest(Slurp(dir + "request.txt"));
  auto meta = Meta(dir + "meta.txt");
  bool presigned = req.HasQuery("X-Amz-Signature");
  std::string amz_date = presigned ? req.Query("X-Amz-Date") : req.Header("x-amz-date");
  std::string payload = presigned ? "UNSIGNED-PAYLOAD"
                        : req.HasHeader("x-amz-content-sha256") ? req.Header("x-amz-content-sha256")
                                                                : crypto::Sha256Hex("");
  auto mode = meta["service"] == "s3" ? sigv4::UriMode::kS3AsSent : sigv4::UriMode::kNormalized;
  std::string creq = sigv4::CanonicalRequest(req, str::Split(meta["signed_headers"], ';'), payload, mode);
  CAPTURE(name);
  CHECK(creq == Slurp(dir + "canonical_request.txt"));
  std::string scope = amz_date.substr(0, 8) + "/" + meta["region"] + "/" + meta["service"] + "/aws4_request";
  std::string sts = sigv4::StringToSign(amz_date, scope, creq);
  CHECK(sts == Slurp(dir + "string_to_sign.txt"));
  std::string sig = sigv4::Signature(
      sigv4::SigningKey(meta["secret_key"], amz_date.substr(0, 8), meta["region"], meta["service"]), sts);
  CHECK(sig == Slurp(dir + "signature.txt"));

  // The verifier accepts the documented request when it carries the documented signature.
  if (!presigned) {
    req.headers.emplace("Authorization", "AWS4-HMAC-SHA256 Credential=" + meta["access_key"] + "/" +
                                             scope + ", SignedHeaders=" + meta["signed_headers"] +
                                             ", Signature=" + Slurp(dir + "signature.txt"));
  }
  auto lookup = [&](const std::string& k) -> std::optional<std::string> {
    if (k == meta["access_key"]) return meta["secret_key"];
    return std::nullopt;
  };
  int64_t at = *timefmt::ParseAmzDate(amz_date) + 1000;
  CHECK(sigv4::Verify(req, lookup, at).outcome == sigv4::VerifyOutcome::kOk);
  // A wrong secret is a mismatch, an unknown key is reported as such.
  auto wrong = [&](const std::string&) -> std::optional<std::string> { return std::string("nope"); };
  CHECK(sigv4::Verify(req, wrong, at).outcome == sigv4::VerifyOutcome::kMismatch);
  auto none = [&](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  CHECK(sigv4::Verify(req, none, at).outcome == sigv4::VerifyOutcome::kUnknownAccessKey);
}

TEST_CASE("presigned URL expiry is enforced", "[sigv4]") {
  std::string dir = std::string(EDASTACK_FIXTURES) + "/sigv4/s3-presigned-get/";
  http::Request req = ParseRawRequest(Slurp(dir + "request.txt"));
  auto lookup = [](const std::string&) -> std::optional<std::string> {
    return std::string("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  };
  int64_t signed_at = *timefmt::ParseAmzDate("20130524T000000Z");
  CHECK(sigv4::Verify(req, lookup, signed_at + 86400 * 1000LL).outcome == sigv4::VerifyOutcome::kOk);
  CHECK(sigv4::Verify(req, lookup, signed_at + 86401 * 1000LL).outcome ==
        sigv4::VerifyOutcome::kExpired);
}

TEST_CASE("signer output verifies (client and server share one implementation)", "[sigv4]") {
  http::Request req;
  req.method = "POST";
  req.target = "/000000000000/my%20queue";
  req.body = "Action=SendMessage&MessageBody=hi";
  req.headers.emplace("Host", "localhost:4566");
  req.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  sigv4::SignRequest(req, {"AK", "SK", ""}, "eu-west-1", "sqs", 1795000000000);
  auto lookup = [](const std::string& k) -> std::optional<std::string> {
    if (k == "AK") return std::string("SK");
    return std::nullopt;
  };
  auto r = sigv4::Verify(req, lookup, 1795000000000);
  CHECK(r.outcome == sigv4::VerifyOutcome::kOk);
  CHECK(r.region == "eu-west-1");
  req.body += "x";  // tampered body
  CHECK(sigv4::Verify(req, lookup, 1795000000000).outcome == sigv4::VerifyOutcome::kMismatch);
}
