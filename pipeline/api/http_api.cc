#include "pipeline/api/http_api.h"

#include <httplib.h>

#include "pipeline/runtime/event_log.h"
#include "protocol/http/listen.h"
#include "protocol/core/ids.h"
#include "protocol/core/time_format.h"

namespace edastack::pipeline {
namespace {

using nlohmann::json;

ApiResponse Error(int status, const std::string& message) {
  return {status, json({{"error", message}}).dump()};
}

}  // namespace

HttpApi::HttpApi(FunctionContext ctx)
    : ctx_(std::move(ctx)), publishes_(ctx_.apis.sns, ctx_.env.topic_arn) {}

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

int HttpApi::Bind(const std::string& host, int port) {
  server_ = std::make_unique<httplib::Server>();
  httplib::Server& s = *server_;
  s.set_payload_max_length(16 * 1024 * 1024);
  // Enough workers that bursts of concurrent clients are accepted at once (httplib's default
  // pool is max(8, cores - 1) and its listen backlog is small).
  s.new_task_queue = [] { return new httplib::ThreadPool(64); };
  // httplib writes a response's head and body separately: without TCP_NODELAY, Nagle holds
  // the body until the client's delayed ACK (40 ms on Linux) of the head.
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(1000000);
  s.set_default_headers({{"Access-Control-Allow-Origin", "*"},
                         {"Access-Control-Allow-Methods", "GET, POST, OPTIONS"},
                         {"Access-Control-Allow-Headers",
                          "Content-Type, Authorization, X-Amz-Date, X-Api-Key, "
                          "X-Amz-Security-Token"},
                         {"Access-Control-Max-Age", "600"}});
  auto write = [](httplib::Response& res, const ApiResponse& r) {
    res.status = r.status;
    res.set_content(r.body, "application/json");
  };
  s.Post("/events", [this, write](const httplib::Request& req, httplib::Response& res) {
    write(res, PostEvent(req.body));
  });
  s.Get(R"(/events/(.+))", [this, write](const httplib::Request& req, httplib::Response& res) {
    write(res, GetEvent(req.matches[1]));
  });
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(ctx_.metrics.Render(), "text/plain; version=0.0.4");
  });
  s.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  s.Options(R"(.*)", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404 && res.body.empty())
      res.set_content(json({{"error", "no route for " + req.method + " " + req.path}}).dump(),
                      "application/json");
  });
  return http::BindWithBacklog(s, host, port);
}

void HttpApi::Start() {
  if (!server_) return;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

void HttpApi::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace edastack::pipeline
