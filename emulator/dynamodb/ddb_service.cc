#include "emulator/dynamodb/ddb_service.h"

#include "emulator/dynamodb/ddb_errors.h"
#include "protocol/core/crypto.h"
#include "protocol/core/log.h"

namespace edastack::dynamodb {
namespace {

http::Response Dispatch(DynamoDb& backend, const RequestContext& ctx, const http::Route& route,
                        http::Request& req, bool streams) {
  Json body = req.body.empty() ? Json::object() : Json::parse(req.body, nullptr, false);
  if (body.is_discarded())
    return RenderDdb(errors::Serialization("Start of structure or map found where not expected."),
                     ctx);
  return RenderDdb(backend.Call(route.operation, std::move(body), ctx, streams), ctx);
}

}  // namespace

http::Response RenderDdb(const Result<Json>& res, const RequestContext& ctx) {
  http::Response out;
  if (res.ok()) {
    out.body = res.value().dump(-1, ' ', false, Json::error_handler_t::replace);
  } else {
    const AwsError& e = res.error();
    Json body = {{"__type", errors::TypeFor(e.code)}};
    if (e.code == "TransactionCanceledException")
      body["Message"] = e.message;
    else
      body["message"] = e.message;
    for (const auto& kv : e.extra) body[kv.first] = Json::parse(kv.second, nullptr, false);
    out.status = e.http_status;
    out.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  out.SetHeader("Content-Type", "application/x-amz-json-1.0");
  out.SetHeader("x-amzn-RequestId", ctx.request_id);
  out.SetHeader("x-amz-crc32", std::to_string(crypto::Crc32(out.body)));
  return out;
}

DynamoDbService::DynamoDbService(storage::Database& db, const Clock& clock,
                                 int64_t sweep_interval_ms)
    : backend_(std::make_unique<DynamoDb>(db)),
      clock_(clock),
      sweep_interval_ms_(sweep_interval_ms) {
  if (sweep_interval_ms_ > 0) sweeper_ = std::thread([this] { SweepLoop(); });
}

DynamoDbService::~DynamoDbService() { Shutdown(); }

void DynamoDbService::Shutdown() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
}

void DynamoDbService::SweepLoop() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stopping_) {
    cv_.wait_for(l, std::chrono::milliseconds(sweep_interval_ms_), [this] { return stopping_; });
    if (stopping_) break;
    l.unlock();
    try {
      while (backend_->SweepExpired(clock_.NowMillis()) >= 1000) {
      }
    } catch (const std::exception& e) {
      log::Warn(std::string("dynamodb ttl sweep failed: ") + e.what());
    }
    l.lock();
  }
}

http::Response DynamoDbService::Handle(const RequestContext& ctx, const http::Route& route,
                                       http::Request& req) {
  return Dispatch(*backend_, ctx, route, req, false);
}

http::Response StreamsService::Handle(const RequestContext& ctx, const http::Route& route,
                                      http::Request& req) {
  return Dispatch(backend_, ctx, route, req, true);
}

}  // namespace edastack::dynamodb
