#include "protocol/sigv4/signer.h"

#include <algorithm>

#include "protocol/core/crypto.h"
#include "protocol/core/time_format.h"

namespace edastack::sigv4 {
namespace {

std::string RemoveDotSegments(const std::string& path) {
  std::vector<std::string> out;
  auto parts = str::Split(path, '/');
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto& p = parts[i];
    if (p == ".") continue;
    if (p == "..") {
      if (out.size() > 1) out.pop_back();
      continue;
    }
    out.push_back(p);
  }
  std::string r;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i) r += '/';
    r += out[i];
  }
  if (r.empty() || r[0] != '/') r.insert(r.begin(), '/');
  return r;
}

std::string CollapseSpaces(const std::string& v) {
  std::string t = str::Trim(v), out;
  bool space = false;
  for (char c : t) {
    if (c == ' ') {
      if (!space) out.push_back(' ');
      space = true;
    } else {
      out.push_back(c);
      space = false;
    }
  }
  return out;
}

}  // namespace

std::string CanonicalUri(const std::string& raw_path, UriMode mode) {
  std::string path = raw_path.empty() ? "/" : raw_path;
  switch (mode) {
    case UriMode::kS3AsSent:
      return path;
    case UriMode::kS3Reencoded:
      return str::UriEncode(str::UriDecode(path), true);
    case UriMode::kNormalized:
      return str::UriEncode(RemoveDotSegments(path), true);
  }
  return path;
}

std::string CanonicalQuery(const std::string& raw_query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& kv : str::ParseForm(raw_query, false)) {
    if (kv.first == "X-Amz-Signature") continue;
    pairs.emplace_back(str::UriEncode(kv.first), str::UriEncode(kv.second));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i) out += '&';
    out += pairs[i].first;
    out += '=';
    out += pairs[i].second;
  }
  return out;
}

std::string CanonicalHeaders(const http::Request& req, const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    out += name;
    out += ':';
    auto range = req.headers.equal_range(name);
    bool first = true;
    for (auto it = range.first; it != range.second; ++it) {
      if (!first) out += ',';
      out += CollapseSpaces(it->second);
      first = false;
    }
    out += '\n';
  }
  return out;
}

std::string CanonicalRequest(const http::Request& req, const std::vector<std::string>& names,
                             const std::string& payload_hash, UriMode mode) {
  std::string signed_list;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) signed_list += ';';
    signed_list += names[i];
  }
  return req.method + "\n" + CanonicalUri(req.target, mode) + "\n" + CanonicalQuery(req.raw_query) +
         "\n" + CanonicalHeaders(req, names) + "\n" + signed_list + "\n" + payload_hash;
}

std::string StringToSign(const std::string& amz_date, const std::string& scope,
                         const std::string& canonical_request) {
  return "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" +
         crypto::Sha256Hex(canonical_request);
}

std::string SigningKey(const std::string& secret, const std::string& day, const std::string& region,
                       const std::string& service) {
  // The key changes once a day per (secret, region, service): remember the last few on each
  // thread (four HMACs saved on every request signed or verified).
  struct Entry {
    std::string secret, day, region, service, key;
  };
  static thread_local Entry cache[4];
  static thread_local unsigned next = 0;
  for (const Entry& e : cache)
    if (e.day == day && e.service == service && e.region == region && e.secret == secret &&
        !e.key.empty())
      return e.key;
  std::string k = crypto::HmacSha256("AWS4" + secret, day);
  k = crypto::HmacSha256(k, region);
  k = crypto::HmacSha256(k, service);
  k = crypto::HmacSha256(k, "aws4_request");
  cache[next++ % 4] = Entry{secret, day, region, service, k};
  return k;
}

std::string Signature(const std::string& key, const std::string& sts) {
  return crypto::Hex(crypto::HmacSha256(key, sts));
}

void SignRequest(http::Request& req, const Credentials& creds, const std::string& region,
                 const std::string& service, int64_t now_ms, bool sign_payload_header) {
  std::string amz_date = timefmt::AmzDate(now_ms);
  std::string day = amz_date.substr(0, 8);
  std::string payload_hash = crypto::Sha256Hex(req.body);
  req.headers.erase("X-Amz-Date");
  req.headers.erase("Authorization");
  req.headers.emplace("X-Amz-Date", amz_date);
  if (sign_payload_header) req.headers.emplace("x-amz-content-sha256", payload_hash);
  if (!creds.session_token.empty()) req.headers.emplace("X-Amz-Security-Token", creds.session_token);
  std::vector<std::string> names;
  for (const auto& kv : req.headers) {
    std::string n = str::ToLower(kv.first);
    if (n == "user-agent" || n == "expect" || n == "transfer-encoding" || n == "connection")
      continue;
    if (names.empty() || names.back() != n) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  UriMode mode = service == "s3" ? UriMode::kS3AsSent : UriMode::kNormalized;
  std::string scope = day + "/" + region + "/" + service + "/aws4_request";
  std::string creq = CanonicalRequest(req, names, payload_hash, mode);
  std::string sig = Signature(SigningKey(creds.secret_key, day, region, service),
                              StringToSign(amz_date, scope, creq));
  std::string signed_list;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) signed_list += ';';
    signed_list += names[i];
  }
  req.headers.emplace("Authorization", "AWS4-HMAC-SHA256 Credential=" + creds.access_key + "/" +
                                           scope + ", SignedHeaders=" + signed_list +
                                           ", Signature=" + sig);
}

}  // namespace edastack::sigv4
