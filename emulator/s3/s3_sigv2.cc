#include "emulator/s3/s3_sigv2.h"

#include <algorithm>
#include <vector>

#include "emulator/s3/s3_errors.h"
#include "protocol/core/crypto.h"
#include "protocol/core/strings.h"

namespace edastack::s3 {
namespace {

// Query parameters that are part of the SigV2 canonical resource.
const char* kSubResources[] = {
    "acl", "cors", "delete", "lifecycle", "location", "logging", "notification", "partNumber",
    "policy", "requestPayment", "response-cache-control", "response-content-disposition",
    "response-content-encoding", "response-content-language", "response-content-type",
    "response-expires", "restore", "tagging", "torrent", "uploadId", "uploads", "versionId",
    "versioning", "versions", "website"};

}  // namespace

std::string SigV2StringToSign(const http::Request& req, const std::string& resource_path) {
  std::string out = req.method + "\n" + req.Header("Content-MD5") + "\n" +
                    req.Header("Content-Type") + "\n" + req.Query("Expires") + "\n";
  std::vector<std::pair<std::string, std::string>> amz;
  for (const auto& kv : req.headers) {
    std::string name = str::ToLower(kv.first);
    if (str::StartsWith(name, "x-amz-")) amz.emplace_back(name, str::Trim(kv.second));
  }
  std::sort(amz.begin(), amz.end());
  for (size_t i = 0; i < amz.size(); ++i) {
    if (i > 0 && amz[i].first == amz[i - 1].first) {
      out.back() = ',';
      out += amz[i].second + "\n";
    } else {
      out += amz[i].first + ":" + amz[i].second + "\n";
    }
  }
  out += resource_path;
  std::vector<std::pair<std::string, std::string>> subs;
  for (const auto& kv : req.query)
    for (const char* s : kSubResources)
      if (kv.first == s) subs.push_back(kv);
  std::sort(subs.begin(), subs.end());
  for (size_t i = 0; i < subs.size(); ++i) {
    out += i == 0 ? "?" : "&";
    out += subs[i].first;
    if (!subs[i].second.empty()) out += "=" + subs[i].second;
  }
  return out;
}

Status VerifySigV2(const http::Request& req, const std::string& resource_path,
                   const std::map<std::string, std::string>& credentials, int64_t now_ms) {
  const std::string& key = req.Query("AWSAccessKeyId");
  const std::string& sig = req.Query("Signature");
  const std::string& expires = req.Query("Expires");
  if (sig.empty() || expires.empty())
    return AccessDenied("Query-string authentication requires the Signature, Expires and "
                        "AWSAccessKeyId parameters");
  auto it = credentials.find(key);
  if (it == credentials.end())
    return MakeError("InvalidAccessKeyId",
                     "The AWS Access Key Id you provided does not exist in our records.", 403);
  int64_t exp = 0;
  try {
    exp = std::stoll(expires);
  } catch (...) {
    return AccessDenied("Invalid date (should be seconds since epoch): " + expires);
  }
  if (now_ms / 1000 > exp) return AccessDenied("Request has expired");
  std::string want = crypto::Base64Encode(crypto::HmacSha1(it->second, SigV2StringToSign(req, resource_path)));
  if (want != sig) {
    AwsError e = SignatureDoesNotMatch(
        "The request signature we calculated does not match the signature you provided. Check "
        "your key and signing method.");
    e.extra = {{"AWSAccessKeyId", key}, {"StringToSign", SigV2StringToSign(req, resource_path)}};
    return e;
  }
  return OkStatus();
}

}  // namespace edastack::s3
