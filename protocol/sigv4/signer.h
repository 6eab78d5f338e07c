// AWS Signature Version 4: canonical request, string to sign, signature. One implementation
// shared by the client (signing) and the server (verifying). Pure functions, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "protocol/http/message.h"

namespace edastack::sigv4 {

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string session_token;
};

// How to form the canonical URI (PROTOCOLS.md §1.2, item 2).
enum class UriMode {
  kS3AsSent,     // S3: the path exactly as sent
  kS3Reencoded,  // S3 fallback: decode then re-encode with the unreserved set
  kNormalized,   // other services: remove dot segments, encode again
};

std::string CanonicalUri(const std::string& raw_path, UriMode mode);
// Canonical query from a raw query string, leaving out X-Amz-Signature.
std::string CanonicalQuery(const std::string& raw_query);
// "name:value\n" for each signed header (lower-case names, sorted as given).
std::string CanonicalHeaders(const http::Request& req, const std::vector<std::string>& signed_names);

std::string CanonicalRequest(const http::Request& req, const std::vector<std::string>& signed_names,
                             const std::string& payload_hash, UriMode mode);
std::string StringToSign(const std::string& amz_date, const std::string& scope,
                         const std::string& canonical_request);
std::string SigningKey(const std::string& secret, const std::string& day, const std::string& region,
                       const std::string& service);
std::string Signature(const std::string& signing_key, const std::string& string_to_sign);

// Signs `req` in place: sets X-Amz-Date, x-amz-content-sha256 (when sign_payload_header),
// X-Amz-Security-Token and Authorization. Host must already be set.
void SignRequest(http::Request& req, const Credentials& creds, const std::string& region,
                 const std::string& service, int64_t now_ms, bool sign_payload_header = false);

}  // namespace edastack::sigv4
