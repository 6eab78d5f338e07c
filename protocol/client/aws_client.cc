#include "protocol/client/aws_client.h"

#include <random>
#include <thread>

#include "protocol/core/strings.h"

namespace edastack::client {
namespace {

bool IsRetryable(const AwsError& e, int status) {
  if (e.code == "ConnectionError") return true;
  if (status >= 500 || status == 429) return true;
  static const char* kThrottle[] = {"Throttling", "ThrottlingException", "ThrottledException",
                                    "RequestThrottledException", "TooManyRequestsException",
                                    "ProvisionedThroughputExceededException", "RequestLimitExceeded",
                                    "SlowDown", "RequestThrottled"};
  for (const char* c : kThrottle)
    if (e.code == c) return true;
  return false;
}

std::string EncodeForm(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& kv : params) {
    if (!out.empty()) out += '&';
    out += str::UriEncode(kv.first) + "=" + str::UriEncode(kv.second);
  }
  return out;
}

}  // namespace

AwsError ParseErrorResponse(const http::Response& res) {
  AwsError e;
  e.http_status = res.status;
  e.sender_fault = res.status < 500;
  const std::string& ct = res.Header("Content-Type");
  if (ct.find("json") != std::string::npos) {
    auto j = nlohmann::json::parse(res.body, nullptr, false);
    if (j.is_object()) {
      std::string type = j.value("__type", std::string());
      if (type.empty()) type = res.Header("x-amzn-ErrorType");
      size_t hash = type.find('#');
      e.code = hash == std::string::npos ? type : type.substr(hash + 1);
      size_t colon = e.code.find(':');
      if (colon != std::string::npos) e.code = e.code.substr(0, colon);
      if (j.contains("message") && j["message"].is_string()) e.message = j["message"];
      else if (j.contains("Message") && j["Message"].is_string()) e.message = j["Message"];
    }
    const std::string& qe = res.Header("x-amzn-query-error");
    if (!qe.empty()) e.query_code = qe.substr(0, qe.find(';'));
  } else if (auto doc = xml::Parse(res.body)) {
    if (const xml::Node* err = doc->Find("Error")) {
      e.code = err->ChildText("Code");
      e.message = err->ChildText("Message");
    }
  }
  if (e.code.empty()) e.code = "HTTP" + std::to_string(res.status);
  return e;
}

AwsClient::AwsClient(Transport& transport, ClientConfig config, const Clock& clock,
                     RetryPolicy retry)
    : transport_(transport), config_(std::move(config)), clock_(clock), retry_(retry) {}

Result<http::Response> AwsClient::SendSigned(http::Request req, const std::string& service) {
  static thread_local std::mt19937 rng(std::random_device{}());
  std::string origin = transport_.Origin();
  size_t p = origin.find("://");
  req.headers.erase("Host");
  req.headers.emplace("Host", p == std::string::npos ? origin : origin.substr(p + 3));
  for (int attempt = 1;; ++attempt) {
    Result<http::Response> res = MakeError("NotSent", "", 500, false);
    if (config_.sign) {
      http::Request signed_req = req;
      sigv4::SignRequest(signed_req, config_.credentials, config_.region, service,
                         clock_.NowMillis(), service == "s3");
      res = transport_.Send(signed_req);
    } else {
      res = transport_.Send(req);
    }
    AwsError err;
    int status = 0;
    if (!res.ok()) {
      err = res.error();
    } else if (res->status >= 300) {
      status = res->status;
      err = ParseErrorResponse(*res);
    } else {
      return res;
    }
    if (attempt >= retry_.max_attempts || !IsRetryable(err, status)) {
      if (!res.ok()) return err;
      return err;
    }
    int cap = std::min(retry_.max_delay_ms, retry_.base_delay_ms << (attempt - 1));
    std::uniform_int_distribution<int> jitter(0, cap);
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
  }
}

Result<nlohmann::json> AwsClient::CallJson(const std::string& service, const std::string& target,
                                           const nlohmann::json& body, const std::string& version) {
  http::Request req;
  req.method = "POST";
  req.target = "/";
  req.body = body.dump();
  req.headers.emplace("Content-Type", "application/x-amz-json-" + version);
  req.headers.emplace("X-Amz-Target", target);
  EDA_ASSIGN_OR_RETURN(http::Response res, SendSigned(std::move(req), service));
  if (res.body.empty()) return nlohmann::json::object();
  auto j = nlohmann::json::parse(res.body, nullptr, false);
  if (j.is_discarded())
    return MakeError("ResponseParserError", "invalid JSON in response to " + target, 500, false);
  return j;
}

Result<xml::Node> AwsClient::CallQuery(const std::string& service, const std::string& version,
                                       const std::string& action,
                                       const std::vector<std::pair<std::string, std::string>>& params) {
  std::vector<std::pair<std::string, std::string>> all = {{"Action", action}, {"Version", version}};
  all.insert(all.end(), params.begin(), params.end());
  http::Request req;
  req.method = "POST";
  req.target = "/";
  req.body = EncodeForm(all);
  req.headers.emplace("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  EDA_ASSIGN_OR_RETURN(http::Response res, SendSigned(std::move(req), service));
  std::string error;
  auto doc = xml::Parse(res.body, &error);
  if (!doc)
    return MakeError("ResponseParserError", "invalid XML in response to " + action + ": " + error,
                     500, false);
  return *doc;
}

Result<http::Response> AwsClient::CallRest(const std::string& method, const std::string& path,
                                           const std::string& raw_query, http::Headers headers,
                                           std::string body, const std::string& service) {
  http::Request req;
  req.method = method;
  req.target = path;
  req.raw_query = raw_query;
  req.headers = std::move(headers);
  req.body = std::move(body);
  return SendSigned(std::move(req), service);
}

}  // namespace edastack::client
