// Server-side SigV4 verification (Authorization header and presigned query form).
// Pure: the caller supplies the secret lookup and the time. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "protocol/http/message.h"

namespace edastack::sigv4 {

enum class VerifyOutcome {
  kOk,
  kMissing,            // no signature at all
  kIncomplete,         // malformed Authorization / missing parts
  kUnknownAccessKey,
  kMismatch,
  kExpired,
};

struct VerifyResult {
  VerifyOutcome outcome = VerifyOutcome::kMissing;
  std::string access_key, region, service;
  std::string message;
  // For debug logs, so a user can fix their signer.
  std::string canonical_request, string_to_sign;
};

// Parsed pieces of a SigV4 signature, from either form.
struct SignatureParts {
  std::string access_key, day, region, service;
  std::vector<std::string> signed_headers;
  std::string signature;
  std::string amz_date;
  int64_t expires_s = -1;  // presigned only
  bool presigned = false;
};

// Fills `out` from the Authorization header or the X-Amz-* query. Returns false (and a
// message) when the request carries an incomplete signature; `*present` tells whether any
// SigV4 signature was there at all.
bool ParseSignature(const http::Request& req, SignatureParts* out, bool* present,
                    std::string* message);

using SecretLookup = std::function<std::optional<std::string>(const std::string& access_key)>;

// `payload_hash_override`: for streamed bodies the caller passes the x-amz-content-sha256
// value; otherwise the body is hashed when the header is absent.
VerifyResult Verify(const http::Request& req, const SecretLookup& lookup, int64_t now_ms);

}  // namespace edastack::sigv4
