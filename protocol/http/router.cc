#include "protocol/http/router.h"

#include <cctype>

namespace edastack::http {
namespace {

bool ParseScopeText(const std::string& credential, CredentialScope* out) {
  // AK/20261128/us-east-1/sqs/aws4_request
  auto parts = str::Split(credential, '/');
  if (parts.size() != 5 || parts[4] != "aws4_request") return false;
  out->access_key = parts[0];
  out->date = parts[1];
  out->region = parts[2];
  out->service = parts[3];
  return true;
}

bool IsQueuePath(const std::string& path) {
  // /<12 digits>/<name>
  if (path.size() < 15 || path[0] != '/' || path[13] != '/') return false;
  for (int i = 1; i <= 12; ++i)
    if (!std::isdigit(static_cast<unsigned char>(path[i]))) return false;
  return path.find('/', 14) == std::string::npos;
}

Route FromVersion(const std::string& action, const std::string& version) {
  Route r;
  r.operation = action;
  r.protocol = Protocol::kQuery;
  if (version == "2010-03-31") r.service = Service::kSns;
  else if (version == "2012-11-05") r.service = Service::kSqs;
  else if (version == "2011-06-15") r.service = Service::kSts;
  return r;
}

Route FromScopeService(const std::string& svc) {
  Route r;
  if (svc == "s3") return {Service::kS3, Protocol::kRestXml, ""};
  if (svc == "sns") return {Service::kSns, Protocol::kQuery, ""};
  if (svc == "sqs") return {Service::kSqs, Protocol::kQuery, ""};
  if (svc == "sts") return {Service::kSts, Protocol::kQuery, ""};
  if (svc == "dynamodb") return {Service::kDynamoDb, Protocol::kJson10, ""};
  if (svc == "events") return {Service::kEvents, Protocol::kJson11, ""};
  return r;
}

bool IsFormPost(const Request& req) {
  if (req.method != "POST") return false;
  const std::string& ct = req.Header("Content-Type");
  return str::StartsWith(str::ToLower(ct), "application/x-www-form-urlencoded");
}

}  // namespace

const char* ServiceName(Service s) {
  switch (s) {
    case Service::kS3: return "s3";
    case Service::kSns: return "sns";
    case Service::kSqs: return "sqs";
    case Service::kDynamoDb: return "dynamodb";
    case Service::kDynamoDbStreams: return "dynamodbstreams";
    case Service::kEvents: return "events";
    case Service::kSts: return "sts";
    case Service::kAdmin: return "admin";
    default: return "unknown";
  }
}

bool ParseCredentialScope(const Request& req, CredentialScope* out) {
  const std::string& auth = req.Header("Authorization");
  if (str::StartsWith(auth, "AWS4-HMAC-SHA256")) {
    size_t pos = auth.find("Credential=");
    if (pos == std::string::npos) return false;
    pos += 11;
    size_t end = auth.find_first_of(", ", pos);
    return ParseScopeText(auth.substr(pos, end == std::string::npos ? std::string::npos : end - pos),
                          out);
  }
  const std::string& cred = req.Query("X-Amz-Credential");
  if (!cred.empty()) return ParseScopeText(cred, out);
  return false;
}

Route RouteHeaders(const Request& req) {
  if (str::StartsWith(req.target, "/_edastack/") || str::StartsWith(req.target, "/_localstack/") ||
      req.target == "/health")
    return {Service::kAdmin, Protocol::kAdmin, ""};

  const std::string& target = req.Header("X-Amz-Target");
  if (!target.empty()) {
    size_t dot = target.find('.');
    std::string prefix = target.substr(0, dot);
    std::string op = dot == std::string::npos ? "" : target.substr(dot + 1);
    if (prefix == "DynamoDB_20120810") return {Service::kDynamoDb, Protocol::kJson10, op};
    if (prefix == "DynamoDBStreams_20120810")
      return {Service::kDynamoDbStreams, Protocol::kJson10, op};
    if (prefix == "AmazonSQS") return {Service::kSqs, Protocol::kJson10, op};
    if (prefix == "AWSEvents") return {Service::kEvents, Protocol::kJson11, op};
  }

  CredentialScope scope;
  if (ParseCredentialScope(req, &scope)) {
    Route r = FromScopeService(scope.service);
    if (r.service != Service::kUnknown) {
      if (r.protocol == Protocol::kQuery) r.operation = req.Query("Action");
      return r;
    }
  }

  const std::string& action = req.Query("Action");
  const std::string& version = req.Query("Version");
  if (!action.empty() && !version.empty()) {
    Route r = FromVersion(action, version);
    if (r.service != Service::kUnknown) return r;
  }
  if (IsQueuePath(req.target) && (IsFormPost(req) || !action.empty()))
    return {Service::kSqs, Protocol::kQuery, action};
  if (IsFormPost(req) && req.target == "/") return {Service::kUnknown, Protocol::kQuery, ""};
  return {Service::kS3, Protocol::kRestXml, ""};
}

Route RouteWithBody(const Request& req) {
  std::string action, version;
  for (const auto& kv : str::ParseForm(req.body)) {
    if (kv.first == "Action") action = kv.second;
    else if (kv.first == "Version") version = kv.second;
  }
  Route r = FromVersion(action, version);
  if (r.service != Service::kUnknown) return r;
  if (!action.empty()) return {Service::kSqs, Protocol::kQuery, action};  // old SQS clients omit Version
  return {Service::kS3, Protocol::kRestXml, ""};
}

}  // namespace edastack::http
