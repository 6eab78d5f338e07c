#include "protocol/sigv4/verifier.h"

#include "protocol/core/crypto.h"
#include "protocol/core/time_format.h"
#include "protocol/sigv4/signer.h"

namespace edastack::sigv4 {
namespace {

std::string FieldOf(const std::string& auth, const std::string& name) {
  size_t pos = auth.find(name + "=");
  if (pos == std::string::npos) return "";
  pos += name.size() + 1;
  size_t end = auth.find_first_of(", ", pos);
  return auth.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
}

bool FillScope(const std::string& credential, SignatureParts* out) {
  auto parts = str::Split(credential, '/');
  if (parts.size() != 5 || parts[4] != "aws4_request") return false;
  out->access_key = parts[0];
  out->day = parts[1];
  out->region = parts[2];
  out->service = parts[3];
  return true;
}

}  // namespace

bool ParseSignature(const http::Request& req, SignatureParts* out, bool* present,
                    std::string* message) {
  const std::string& auth = req.Header("Authorization");
  *present = false;
  if (str::StartsWith(auth, "AWS4-HMAC-SHA256")) {
    *present = true;
    std::string cred = FieldOf(auth, "Credential");
    std::string signed_headers = FieldOf(auth, "SignedHeaders");
    out->signature = FieldOf(auth, "Signature");
    out->amz_date = req.Header("X-Amz-Date");
    if (out->amz_date.empty()) out->amz_date = req.Header("Date");
    if (cred.empty() || signed_headers.empty() || out->signature.empty()) {
      *message = "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
                 "parameters. Authorization=" + auth;
      return false;
    }
    if (!FillScope(cred, out)) {
      *message = "Credential should be scoped to a valid region, not '" + cred + "'.";
      return false;
    }
    out->signed_headers = str::Split(signed_headers, ';');
    if (out->amz_date.empty()) {
      *message = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                 "header.";
      return false;
    }
    return true;
  }
  if (req.Query("X-Amz-Algorithm") == "AWS4-HMAC-SHA256") {
    *present = true;
    out->presigned = true;
    out->signature = req.Query("X-Amz-Signature");
    out->amz_date = req.Query("X-Amz-Date");
    std::string signed_headers = req.Query("X-Amz-SignedHeaders");
    const std::string& expires = req.Query("X-Amz-Expires");
    if (out->signature.empty() || out->amz_date.empty() || signed_headers.empty() ||
        !FillScope(req.Query("X-Amz-Credential"), out)) {
      *message = "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                 "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                 "X-Amz-Expires parameters.";
      return false;
    }
    out->signed_headers = str::Split(signed_headers, ';');
    if (!expires.empty()) {
      try {
        out->expires_s = std::stoll(expires);
      } catch (...) {
        *message = "X-Amz-Expires should be a number";
        return false;
      }
    }
    return true;
  }
  return true;
}

VerifyResult Verify(const http::Request& req, const SecretLookup& lookup, int64_t now_ms) {
  VerifyResult r;
  SignatureParts parts;
  bool present = false;
  if (!ParseSignature(req, &parts, &present, &r.message)) {
    r.outcome = VerifyOutcome::kIncomplete;
    return r;
  }
  if (!present) {
    r.outcome = VerifyOutcome::kMissing;
    return r;
  }
  r.access_key = parts.access_key;
  r.region = parts.region;
  r.service = parts.service;
  auto secret = lookup(parts.access_key);
  if (!secret) {
    r.outcome = VerifyOutcome::kUnknownAccessKey;
    r.message = "The security token included in the request is invalid.";
    return r;
  }
  if (parts.presigned) {
    auto signed_at = timefmt::ParseAmzDate(parts.amz_date);
    if (!signed_at || (parts.expires_s >= 0 && now_ms > *signed_at + parts.expires_s * 1000)) {
      r.outcome = VerifyOutcome::kExpired;
      r.message = "Request has expired";
      return r;
    }
  }
  std::string payload_hash;
  if (parts.presigned) {
    payload_hash = req.Query("X-Amz-Content-Sha256");
    if (payload_hash.empty()) payload_hash = "UNSIGNED-PAYLOAD";
  } else {
    payload_hash = req.Header("x-amz-content-sha256");
    if (payload_hash.empty()) payload_hash = crypto::Sha256Hex(req.body);
  }
  std::string scope = parts.day + "/" + parts.region + "/" + parts.service + "/aws4_request";
  std::string key = SigningKey(*secret, parts.day, parts.region, parts.service);
  std::vector<UriMode> modes;
  if (parts.service == "s3") modes = {UriMode::kS3AsSent, UriMode::kS3Reencoded};
  else modes = {UriMode::kNormalized};
  for (UriMode mode : modes) {
    std::string creq = CanonicalRequest(req, parts.signed_headers, payload_hash, mode);
    std::string sts = StringToSign(parts.amz_date, scope, creq);
    if (r.canonical_request.empty()) {
      r.canonical_request = creq;
      r.string_to_sign = sts;
    }
    if (Signature(key, sts) == parts.signature) {
      r.outcome = VerifyOutcome::kOk;
      return r;
    }
  }
  r.outcome = VerifyOutcome::kMismatch;
  r.message = "The request signature we calculated does not match the signature you provided. "
              "Check your AWS Secret Access Key and signing method. Consult the service "
              "documentation for details.";
  return r;
}

}  // namespace edastack::sigv4
