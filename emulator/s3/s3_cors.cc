// CORS: browser preflight (OPTIONS) and response headers from the bucket's stored
// CORSConfiguration.
#include "emulator/s3/s3_errors.h"
#include "emulator/s3/s3_service.h"
#include "emulator/s3/s3_wire.h"
#include "protocol/core/strings.h"

namespace edastack::s3 {
namespace {

struct CorsRule {
  std::vector<std::string> origins, methods, headers, expose;
  std::string max_age;
};

// '*' matches any run of characters (AllowedOrigin / AllowedHeader allow one wildcard).
bool WildMatch(const std::string& pattern, const std::string& text, bool icase) {
  std::string p = icase ? str::ToLower(pattern) : pattern;
  std::string t = icase ? str::ToLower(text) : text;
  size_t star = p.find('*');
  if (star == std::string::npos) return p == t;
  std::string head = p.substr(0, star), tail = p.substr(star + 1);
  return t.size() >= head.size() + tail.size() && str::StartsWith(t, head) && str::EndsWith(t, tail);
}

std::vector<CorsRule> ParseRules(const std::string& body) {
  std::vector<CorsRule> rules;
  auto doc = xml::Parse(body);
  if (!doc) return rules;
  for (const xml::Node* r : doc->Children("CORSRule")) {
    CorsRule rule;
    for (const auto* n : r->Children("AllowedOrigin")) rule.origins.push_back(n->text);
    for (const auto* n : r->Children("AllowedMethod")) rule.methods.push_back(n->text);
    for (const auto* n : r->Children("AllowedHeader")) rule.headers.push_back(n->text);
    for (const auto* n : r->Children("ExposeHeader")) rule.expose.push_back(n->text);
    rule.max_age = r->ChildText("MaxAgeSeconds");
    rules.push_back(rule);
  }
  return rules;
}

const CorsRule* Find(const std::vector<CorsRule>& rules, const std::string& origin,
                     const std::string& method, const std::vector<std::string>& req_headers) {
  for (const auto& r : rules) {
    bool o = false, m = false;
    for (const auto& p : r.origins) o = o || WildMatch(p, origin, false);
    for (const auto& x : r.methods) m = m || x == method;
    if (!o || !m) continue;
    bool all = true;
    for (const auto& h : req_headers) {
      bool ok = false;
      for (const auto& p : r.headers) ok = ok || WildMatch(p, h, true);
      all = all && ok;
    }
    if (all) return &r;
  }
  return nullptr;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

void SetAllowOrigin(http::Response& res, const CorsRule& r, const std::string& origin) {
  bool any = r.origins.size() == 1 && r.origins[0] == "*";
  res.SetHeader("Access-Control-Allow-Origin", any ? "*" : origin);
  if (!any) res.SetHeader("Access-Control-Allow-Credentials", "true");
  res.SetHeader("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
  if (!r.expose.empty()) res.SetHeader("Access-Control-Expose-Headers", Join(r.expose, ", "));
}

}  // namespace

S3Service::Res S3Service::Preflight(const RequestContext& ctx, const Target& t,
                                    http::Request& req) {
  const std::string& origin = req.Header("Origin");
  const std::string& method = req.Header("Access-Control-Request-Method");
  if (origin.empty() || method.empty())
    return MakeError("BadRequest", "Insufficient information. Origin request header needed.", 400);
  std::optional<std::string> body;
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
    body = st.GetConfig(t.bucket, "cors");
  }
  if (!body) return CorsForbidden("CORSResponse: CORS is not enabled for this bucket.");
  std::vector<std::string> headers;
  for (const auto& h : str::Split(req.Header("Access-Control-Request-Headers"), ',')) {
    std::string v = str::Trim(h);
    if (!v.empty()) headers.push_back(str::ToLower(v));
  }
  auto rules = ParseRules(*body);
  const CorsRule* r = Find(rules, origin, method, headers);
  if (!r)
    return CorsForbidden("CORSResponse: This CORS request is not allowed. This is usually "
                         "because the evalution of Origin, request method / "
                         "Access-Control-Request-Method or Access-Control-Request-Headers are "
                         "not whitelisted by the resource's CORS spec.");
  http::Response res = EmptyResponse(200);
  SetAllowOrigin(res, *r, origin);
  res.SetHeader("Access-Control-Allow-Methods", Join(r->methods, ", "));
  if (!headers.empty()) res.SetHeader("Access-Control-Allow-Headers", Join(headers, ", "));
  if (!r->max_age.empty()) res.SetHeader("Access-Control-Max-Age", r->max_age);
  return res;
}

void S3Service::ApplyCors(const Target& t, const http::Request& req, http::Response& res) {
  if (t.bucket.empty()) return;
  std::optional<std::string> body;
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), emu_.options().account);
    body = st.GetConfig(t.bucket, "cors");
  }
  if (!body) return;
  auto rules = ParseRules(*body);
  std::string method = req.method == "HEAD" ? "HEAD" : req.method;
  if (const CorsRule* r = Find(rules, req.Header("Origin"), method, {}))
    SetAllowOrigin(res, *r, req.Header("Origin"));
}

}  // namespace edastack::s3
