// Browser POST uploads: multipart/form-data with a (base64 JSON) policy, signed with SigV4
// (x-amz-signature) or SigV2 (signature). The form is read into memory up to kMaxForm; the
// file part is then written like a PutObject body.
#include <nlohmann/json.hpp>

#include "emulator/s3/s3_errors.h"
#include "emulator/s3/s3_notify.h"
#include "emulator/s3/s3_service.h"
#include "emulator/s3/s3_wire.h"
#include "protocol/core/crypto.h"
#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"
#include "protocol/query/xml_writer.h"
#include "protocol/sigv4/signer.h"

namespace edastack::s3 {
namespace {

constexpr size_t kMaxForm = 64 << 20;

struct Form {
  std::vector<std::pair<std::string, std::string>> fields;  // names lower-cased, in order
  std::string file, filename, file_type;
  bool has_file = false;
  std::string Get(const std::string& name) const {
    for (const auto& kv : fields)
      if (kv.first == name) return kv.second;
    return "";
  }
};

Result<Form> ParseForm(const std::string& body, const std::string& content_type) {
  size_t b = content_type.find("boundary=");
  if (b == std::string::npos) return MalformedPost("no boundary in Content-Type");
  std::string boundary = content_type.substr(b + 9);
  if (!boundary.empty() && boundary.front() == '"') boundary = boundary.substr(1, boundary.find('"', 1) - 1);
  size_t semi = boundary.find(';');
  if (semi != std::string::npos) boundary = boundary.substr(0, semi);
  std::string delim = "--" + boundary;
  Form form;
  size_t pos = body.find(delim);
  if (pos == std::string::npos) return MalformedPost("no form parts");
  while (true) {
    pos += delim.size();
    if (body.compare(pos, 2, "--") == 0) break;
    if (body.compare(pos, 2, "\r\n") != 0) return MalformedPost("bad part delimiter");
    pos += 2;
    size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string::npos) return MalformedPost("bad part headers");
    std::string headers = body.substr(pos, head_end - pos);
    size_t next = body.find("\r\n" + delim, head_end + 4);
    if (next == std::string::npos) return MalformedPost("unterminated part");
    std::string value = body.substr(head_end + 4, next - head_end - 4);
    std::string name, filename, type;
    for (const auto& line : str::Split(headers, '\n')) {
      std::string l = str::Trim(line);
      if (str::StartsWith(str::ToLower(l), "content-disposition:")) {
        auto grab = [&](const std::string& attr) -> std::string {
          size_t p = l.find(attr + "=\"");
          if (p == std::string::npos) return "";
          p += attr.size() + 2;
          return l.substr(p, l.find('"', p) - p);
        };
        name = grab("name");
        filename = grab("filename");
      } else if (str::StartsWith(str::ToLower(l), "content-type:")) {
        type = str::Trim(l.substr(13));
      }
    }
    if (str::ToLower(name) == "file") {
      form.has_file = true;
      form.file = std::move(value);
      form.filename = filename;
      form.file_type = type;
      break;  // fields after the file are ignored, as S3 does
    }
    form.fields.emplace_back(str::ToLower(name), value);
    pos = next + 2;
  }
  return form;
}

// Checks the policy's expiration and conditions against the form.
Status CheckPolicy(const nlohmann::json& policy, const Form& form, const std::string& bucket,
                   const std::string& key, int64_t now_ms) {
  auto denied = [](const std::string& why) { return AccessDenied("Invalid according to Policy: " + why); };
  if (policy.contains("expiration")) {
    auto exp = timefmt::ParseIso8601(policy.value("expiration", ""));
    if (!exp || now_ms > *exp) return denied("Policy expired.");
  }
  auto value_of = [&](std::string name) {
    name = str::ToLower(name);
    if (!name.empty() && name[0] == '$') name = name.substr(1);
    if (name == "bucket") return bucket;
    if (name == "key") return key;
    return form.Get(name);
  };
  for (const auto& c : policy.value("conditions", nlohmann::json::array())) {
    if (c.is_object()) {
      for (auto it = c.begin(); it != c.end(); ++it)
        if (it.value().is_string() && value_of(it.key()) != it.value().get<std::string>())
          return denied("Policy Condition failed: [\"eq\", \"$" + it.key() + "\", \"" +
                        it.value().get<std::string>() + "\"]");
    } else if (c.is_array() && c.size() == 3 && c[0].is_string()) {
      std::string op = c[0];
      if (op == "content-length-range" && c[1].is_number_unsigned() && c[2].is_number_unsigned()) {
        uint64_t lo = c[1].get<uint64_t>(), hi = c[2].get<uint64_t>();
        if (form.file.size() < lo || form.file.size() > hi)
          return EntityTooLarge();
      } else if (op == "eq" && c[1].is_string() && c[2].is_string()) {
        if (value_of(c[1]) != c[2].get<std::string>()) return denied("Policy Condition failed: eq " + c[1].get<std::string>());
      } else if (op == "starts-with" && c[1].is_string() && c[2].is_string()) {
        if (!str::StartsWith(value_of(c[1]), c[2].get<std::string>()))
          return denied("Policy Condition failed: starts-with " + c[1].get<std::string>());
      }
    }
  }
  return OkStatus();
}

}  // namespace

AwsError MalformedPost(const std::string& why) {
  return MakeError("MalformedPOSTRequest",
                   "The body of your POST request is not well-formed multipart/form-data. " + why, 400);
}

S3Service::Res S3Service::PostObject(const RequestContext& ctx, const Target& t,
                                     http::Request& req) {
  std::string ct = req.Header("Content-Type");
  if (!str::StartsWith(str::ToLower(ct), "multipart/form-data")) {
    auto drained = ReadSmallBody(req, kMaxForm);
    return MethodNotAllowed("POST", "BUCKET");
  }
  EDA_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(req, kMaxForm));
  EDA_ASSIGN_OR_RETURN(Form form, ParseForm(body, ct));
  if (!form.has_file) return InvalidArgument("POST requires exactly one file upload per request.", "file", "0");
  std::string key = form.Get("key");
  if (key.empty()) return InvalidArgument("Bucket POST must contain a field named 'key'.", "key", "");
  size_t pos = key.find("${filename}");
  if (pos != std::string::npos) key.replace(pos, 11, form.filename);
  std::string policy_b64 = form.Get("policy");
  const auto& opts = emu_.options();
  if (!policy_b64.empty()) {
    auto text = crypto::Base64Decode(policy_b64);
    auto policy = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
    if (!policy.is_object()) return InvalidArgument("Invalid Policy: Invalid JSON.", "Policy", policy_b64);
    EDA_TRY(CheckPolicy(policy, form, t.bucket, key, ctx.now_ms));
  }
  if (opts.auth_sigv4) {
    if (policy_b64.empty()) return AccessDenied("Bucket POST must include a signed policy.");
    std::string cred = form.Get("x-amz-credential");
    if (!cred.empty()) {
      auto parts = str::Split(cred, '/');
      auto it = parts.size() == 5 ? opts.credentials.find(parts[0]) : opts.credentials.end();
      if (it == opts.credentials.end())
        return MakeError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403);
      std::string key_bytes = sigv4::SigningKey(it->second, parts[1], parts[2], parts[3]);
      if (sigv4::Signature(key_bytes, policy_b64) != form.Get("x-amz-signature"))
        return SignatureDoesNotMatch("The request signature we calculated does not match the signature you provided.");
    } else {
      auto it = opts.credentials.find(form.Get("awsaccesskeyid"));
      if (it == opts.credentials.end())
        return MakeError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403);
      if (crypto::Base64Encode(crypto::HmacSha1(it->second, policy_b64)) != form.Get("signature"))
        return SignatureDoesNotMatch("The request signature we calculated does not match the signature you provided.");
    }
  }
  // Write the file part like a PutObject body.
  http::Request put;
  put.method = "PUT";
  put.body = std::move(form.file);
  if (!form.Get("content-type").empty()) put.headers.emplace("Content-Type", form.Get("content-type"));
  else if (!form.file_type.empty()) put.headers.emplace("Content-Type", form.file_type);
  for (const auto& kv : form.fields) {
    if (str::StartsWith(kv.first, "x-amz-meta-") || kv.first == "cache-control" ||
        kv.first == "content-disposition" || kv.first == "content-encoding" ||
        kv.first == "expires" || kv.first == "x-amz-storage-class" ||
        str::StartsWith(kv.first, "x-amz-checksum-"))
      put.headers.emplace(kv.first, kv.second);
  }
  Pairs tags;
  std::string tagging = form.Get("tagging");
  if (!tagging.empty()) {
    auto doc = xml::Parse(tagging);
    if (!doc) return MalformedXml();
    EDA_ASSIGN_OR_RETURN(tags, ParseTagging(*doc));
  }
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
  }
  EDA_ASSIGN_OR_RETURN(Ingested in, IngestBody(put, *files_, opts));
  bool versioned = false;
  EDA_ASSIGN_OR_RETURN(ObjectVersion v,
                       CommitUploadedObject(ctx, t.bucket, key, in, AttrsFromHeaders(put),
                                            std::move(tags), false, &versioned,
                                            "ObjectCreated:Post", "POST Object", req.remote_addr));
  std::string location = ctx.Origin() + "/" + t.bucket + "/" + str::UriEncode(key, true);
  std::string redirect = form.Get("success_action_redirect");
  http::Response res;
  if (!redirect.empty()) {
    res.status = 303;
    res.SetHeader("Location", redirect + (redirect.find('?') == std::string::npos ? "?" : "&") +
                                  "bucket=" + str::UriEncode(t.bucket) + "&key=" +
                                  str::UriEncode(key) + "&etag=" + str::UriEncode(Quote(v.etag)));
  } else {
    std::string status = form.Get("success_action_status");
    if (status == "201") {
      xml::Writer w(true);
      w.Open("PostResponse").Element("Location", location).Element("Bucket", t.bucket)
          .Element("Key", key).Element("ETag", Quote(v.etag)).Close();
      res = XmlResponse(w.Finish(), 201);
    } else {
      res.status = status == "200" ? 200 : 204;
    }
  }
  res.SetHeader("ETag", Quote(v.etag));
  res.SetHeader("Location", res.status == 303 ? res.Header("Location") : location);
  if (versioned) res.SetHeader("x-amz-version-id", v.version_id);
  return res;
}

}  // namespace edastack::s3
