#include "pipeline/api/http_api.h"

#include "pipeline/runtime/event_log.h"
#include "protocol/core/ids.h"
#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"

namespace edastack::pipeline {
namespace {

using nlohmann::json;

ApiResponse Error(int status, const std::string& message) {
  return {status, json({{"error", message}}).dump()};
}

}  // namespace

HttpApi::HttpApi(FunctionContext ctx, ClientFirst* client_first)
    : ctx_(std::move(ctx)),
      client_first_(client_first),
      publishes_(ctx_.apis.sns, ctx_.env.topic_arn) {}

HttpApi::~HttpApi() { Stop(); }

ApiResponse HttpApi::PostEvent(const std::string& body) {
  ctx_.metrics.Inc(Metrics::kReceived, kName);
  auto reject = [&](const std::string& why) {
    ctx_.metrics.Inc(Metrics::kFailed, kName);
    LogEvent(log::Level::kInfo, kName, "", "rejected", {{"reason", why}});
    return Error(400, why);
  };
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return reject("invalid JSON body");
  if (!j.is_object()) return reject("body must be a JSON object");
  if (!j.contains("type") || !j["type"].is_string() || j["type"].get<std::string>().empty())
    return reject("missing type: a non-empty string is required");
  if (!j.contains("payload")) return reject("missing payload");
  if (!j["payload"].is_object()) return reject("payload must be a JSON object");
  std::string payload_text = j["payload"].dump();
  if (payload_text.size() > kMaxPayloadBytes)
    return reject("payload exceeds 256 KiB (" + std::to_string(payload_text.size()) + " bytes)");
  PipelineEvent e;
  if (j.contains("eventId")) {
    if (!j["eventId"].is_string() || j["eventId"].get<std::string>().empty() ||
        j["eventId"].get<std::string>().size() > 1024)
      return reject("eventId must be a non-empty string of at most 1024 characters");
    e.event_id = j["eventId"];
  } else {
    e.event_id = ids::Uuid();
  }
  e.type = j["type"];
  e.payload = j["payload"];
  e.source = j.contains("source") && j["source"].is_string() ? j["source"].get<std::string>()
                                                             : "api";
  e.timestamp = timefmt::Iso8601Millis(ctx_.clock.NowMillis());
  std::string message = EventToJson(e).dump();
  if (message.size() > kMaxPayloadBytes) return reject("event exceeds the 256 KiB message limit");
  auto published = publishes_.Publish(message, "pipeline event " + e.type);
  if (!published.ok()) {
    ctx_.metrics.Inc(Metrics::kFailed, kName);
    LogEvent(log::Level::kError, kName, e.event_id, "publish failed",
             {{"error", published.error().code + ": " + published.error().message}});
    return Error(502, "could not publish the event: " + published.error().code);
  }
  ctx_.metrics.Inc(Metrics::kProcessed, kName);
  LogEvent(log::Level::kInfo, kName, e.event_id, "accepted", {{"type", e.type}});
  return {202, json({{"eventId", e.event_id}, {"status", "ACCEPTED"}}).dump()};
}

ApiResponse HttpApi::GetEvent(const std::string& event_id) {
  auto item = ctx_.apis.dynamodb.GetItem(ctx_.env.table, {{"eventId", {{"S", event_id}}}});
  if (!item.ok()) return Error(502, "could not read the table: " + item.error().code);
  if (!item->has_value())
    return {404, json({{"error", "event not found"}, {"eventId", event_id}}).dump()};
  return {200, aws::FromItem(**item).dump()};
}

http::Response HttpApi::Route(http::Request& req) {
  ClientFirst::Request serving(client_first_);
  http::Response res;
  // CORS on every answer, for browsers posting events.
  res.headers = {{"Access-Control-Allow-Origin", "*"},
                 {"Access-Control-Allow-Methods", "GET, POST, OPTIONS"},
                 {"Access-Control-Allow-Headers",
                  "Content-Type, Authorization, X-Amz-Date, X-Api-Key, X-Amz-Security-Token"},
                 {"Access-Control-Max-Age", "600"}};
  auto write = [&res](const ApiResponse& r) {
    res.status = r.status;
    res.SetHeader("Content-Type", "application/json");
    res.body = r.body;
    return std::move(res);
  };
  std::string path = str::UriDecode(req.target);
  bool get = req.method == "GET" || req.method == "HEAD";
  if (req.method == "OPTIONS") {
    res.status = 204;
    return res;
  }
  if (req.method == "POST" && path == "/events") {
    std::string body;
    bool too_large = false;
    bool ok = !req.body_reader || req.body_reader([&](const char* d, size_t n) {
      if (body.size() + n > kMaxRequestBytes) {
        too_large = true;
        return false;
      }
      body.append(d, n);
      return true;
    });
    if (too_large) return write(Error(413, "request body exceeds 16 MiB"));
    if (!ok) return write(Error(400, "could not read the request body"));
    return write(PostEvent(body));
  }
  if (get && str::StartsWith(path, "/events/") && path.size() > 8) return write(GetEvent(path.substr(8)));
  if (get && path == "/metrics") {
    res.SetHeader("Content-Type", "text/plain; version=0.0.4");
    res.body = ctx_.metrics.Render();
    return res;
  }
  if (get && path == "/health") return write({200, R"({"status":"ok"})"});
  return write(Error(404, "no route for " + req.method + " " + path));
}

int HttpApi::Bind(const std::string& host, int port) {
  http::ServerOptions o;
  o.host = host;
  o.port = port;
  o.max_threads = 256;
  server_ = std::make_unique<http::Server>(o, [this](http::Request& req) { return Route(req); });
  server_->error_body = R"({"error":"internal error"})";
  return server_->Bind();
}

void HttpApi::Start() {
  if (!server_) return;
  thread_ = std::thread([this] { server_->Serve(); });
}

void HttpApi::Stop() {
  if (server_) server_->Stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace edastack::pipeline
