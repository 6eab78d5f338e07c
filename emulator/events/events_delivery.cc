#include "emulator/events/events_delivery.h"

#include <chrono>

#include "protocol/core/log.h"
#include "protocol/core/strings.h"

namespace edastack::events {
namespace {

// arn:aws:<svc>:<region>:<account>:<resource>
struct Arn {
  std::string service, region, account, resource;
};

std::optional<Arn> ParseArn(const std::string& arn) {
  auto parts = str::Split(arn, ':');
  if (parts.size() < 6 || parts[0] != "arn") return std::nullopt;
  Arn a{parts[2], parts[3], parts[4], parts[5]};
  for (size_t i = 6; i < parts.size(); ++i) a.resource += ":" + parts[i];
  return a;
}

http::Request JsonRequest(const std::string& host, const std::string& target,
                          const std::string& content_type, std::string body) {
  http::Request req;
  req.method = "POST";
  req.target = "/";
  req.headers.emplace("Host", host);
  req.headers.emplace("Content-Type", content_type);
  if (!target.empty()) req.headers.emplace("X-Amz-Target", target);
  req.body = std::move(body);
  return req;
}

std::string Form(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& kv : params) {
    if (!out.empty()) out.push_back('&');
    out += str::UriEncode(kv.first) + "=" + str::UriEncode(kv.second);
  }
  return out;
}

std::string HostOf(const Delivery& d) { return d.host.empty() ? "localhost:4566" : d.host; }

std::optional<http::Request> SqsSend(const Delivery& d, const Arn& arn, const std::string& body,
                                     const nlohmann::json* attributes) {
  nlohmann::json j = {{"QueueUrl", "http://" + HostOf(d) + "/" + arn.account + "/" + arn.resource},
                      {"MessageBody", body}};
  if (str::EndsWith(arn.resource, ".fifo")) {
    j["MessageGroupId"] = d.message_group_id.value_or("");
    j["MessageDeduplicationId"] = d.event_id;
  }
  if (attributes) j["MessageAttributes"] = *attributes;
  return JsonRequest(HostOf(d), "AmazonSQS.SendMessage", "application/x-amz-json-1.0", j.dump());
}

}  // namespace

DeliveryWorker::DeliveryWorker(Sender send, const FunctionRegistry* functions,
                               sigv4::Credentials creds, const Clock& clock,
                               storage::Outbox* outbox, bool hold)
    : send_(std::move(send)),
      functions_(functions),
      creds_(std::move(creds)),
      clock_(clock),
      outbox_(outbox),
      hold_(hold) {
  thread_ = std::thread([this] { Run(); });
}

DeliveryWorker::~DeliveryWorker() { Stop(); }

void DeliveryWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ && !thread_.joinable()) return;
    stop_ = true;
    if (!queue_.empty())
      log::Warn("events: dropping " + std::to_string(queue_.size()) +
                " undelivered events at shutdown");
    queue_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeliveryWorker::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.clear();
  cv_.notify_all();
}

void DeliveryWorker::Enqueue(std::vector<Delivery> batch, int64_t outbox_id) {
  if (batch.empty() || hold_) return;
  if (outbox_id && outbox_) {
    auto token = outbox_->MakeToken(outbox_id);
    for (auto& d : batch) d.done = token;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    for (auto& d : batch) queue_.push_back(std::move(d));
  }
  cv_.notify_all();
}

void DeliveryWorker::TEST_WaitIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stop_ || (queue_.empty() && in_flight_ == 0); });
}

void DeliveryWorker::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    // Idle for a moment with delivered rows not yet deleted: delete them (under load the
    // next PutEvents' transaction does it for free).
    if (queue_.empty() && !stop_ && outbox_ && outbox_->HasDone() &&
        !cv_.wait_for(lock, std::chrono::milliseconds(10),
                      [this] { return stop_ || !queue_.empty(); })) {
      lock.unlock();
      outbox_->Flush();
      lock.lock();
      continue;
    }
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (stop_) break;
    // Take what is queued (bounded), deliver it without the lock.
    std::vector<Delivery> batch;
    while (!queue_.empty() && batch.size() < 100) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    const int taken = static_cast<int>(batch.size());
    in_flight_ += taken;
    lock.unlock();
    size_t i = 0;
    while (i < batch.size()) {
      // Consecutive deliveries to the same queue go out as one SendMessageBatch.
      size_t j = i + 1, bytes = batch[i].payload.size();
      bool sqs = batch[i].target_arn.rfind("arn:aws:sqs:", 0) == 0;
      while (sqs && j < batch.size() && j - i < kSqsBatchMax &&
             batch[j].target_arn == batch[i].target_arn && batch[j].host == batch[i].host &&
             bytes + batch[j].payload.size() <= kSqsBatchBytes) {
        bytes += batch[j].payload.size();
        ++j;
      }
      try {
        if (j - i > 1) {
          DeliverSqsBatch(&batch[i], j - i);
        } else {
          Status s = DeliverOne(batch[i]);
          if (!s.ok()) SendToDeadLetter(batch[i], s.error());
        }
      } catch (const std::exception& e) {
        log::Error(std::string("events: delivery failed: ") + e.what());
      }
      i = j;
    }
    batch.clear();  // releases the outbox tokens (outside our lock)
    lock.lock();
    in_flight_ -= taken;
    cv_.notify_all();
  }
}

void DeliveryWorker::DeliverSqsBatch(const Delivery* ds, size_t n) {
  auto arn = ParseArn(ds[0].target_arn);
  nlohmann::json entries = nlohmann::json::array();
  bool fifo = str::EndsWith(arn->resource, ".fifo");
  for (size_t k = 0; k < n; ++k) {
    nlohmann::json e = {{"Id", std::to_string(k)}, {"MessageBody", ds[k].payload}};
    if (fifo) {
      e["MessageGroupId"] = ds[k].message_group_id.value_or("");
      e["MessageDeduplicationId"] = ds[k].event_id;
    }
    entries.push_back(std::move(e));
  }
  nlohmann::json body = {
      {"QueueUrl", "http://" + HostOf(ds[0]) + "/" + arn->account + "/" + arn->resource},
      {"Entries", std::move(entries)}};
  http::Request req = JsonRequest(HostOf(ds[0]), "AmazonSQS.SendMessageBatch",
                                  "application/x-amz-json-1.0", body.dump());
  sigv4::SignRequest(req, creds_, arn->region.empty() ? ds[0].region : arn->region, "sqs",
                     clock_.NowMillis());
  http::Response res = send_(req);
  auto out = nlohmann::json::parse(res.body, nullptr, false);
  if (res.status >= 300 || !out.is_object()) {
    // The whole batch failed (queue gone, ...): each one the slow way, with retries and DLQ.
    for (size_t k = 0; k < n; ++k) {
      Status s = DeliverOne(ds[k]);
      if (!s.ok()) SendToDeadLetter(ds[k], s.error());
    }
    return;
  }
  auto failed = out.find("Failed");
  if (failed == out.end() || !failed->is_array()) return;
  for (const auto& f : *failed) {
    size_t k = std::stoul(f.value("Id", std::string("0")));
    if (k >= n) continue;
    AwsError e =
        MakeError(f.value("Code", std::string("Failed")), f.value("Message", std::string()));
    log::Warn("events: delivery of " + ds[k].event_id + " to " + ds[k].target_arn +
              " failed: " + e.code);
    SendToDeadLetter(ds[k], e);
  }
}

std::optional<http::Request> DeliveryWorker::BuildRequest(const Delivery& d) {
  auto arn = ParseArn(d.target_arn);
  if (!arn) return std::nullopt;
  if (arn->service == "sqs") return SqsSend(d, *arn, d.payload, nullptr);
  if (arn->service == "sns") {
    std::vector<std::pair<std::string, std::string>> p = {{"Action", "Publish"},
                                                          {"Version", "2010-03-31"},
                                                          {"TopicArn", d.target_arn},
                                                          {"Message", d.payload}};
    if (str::EndsWith(arn->resource, ".fifo")) {
      p.push_back({"MessageGroupId", d.message_group_id.value_or(d.rule_arn)});
      p.push_back({"MessageDeduplicationId", d.event_id});
    }
    return JsonRequest(HostOf(d), "", "application/x-www-form-urlencoded; charset=utf-8", Form(p));
  }
  if (arn->service == "events" && arn->resource.rfind("event-bus/", 0) == 0) {
    // Another bus: forward the event as it is (source, detail-type, detail, resources).
    auto e = nlohmann::json::parse(d.payload, nullptr, false);
    if (!e.is_object() || !e.contains("detail") || !e["source"].is_string() ||
        !e["detail-type"].is_string())
      return std::nullopt;
    nlohmann::json entry = {{"Source", e["source"]},
                            {"DetailType", e["detail-type"]},
                            {"Detail", e["detail"].dump()},
                            {"EventBusName", d.target_arn}};
    if (e.contains("resources")) entry["Resources"] = e["resources"];
    auto req = JsonRequest(HostOf(d), "AWSEvents.PutEvents", "application/x-amz-json-1.1",
                           nlohmann::json{{"Entries", {entry}}}.dump());
    req.headers.emplace("x-edastack-internal", "1");
    return req;
  }
  return std::nullopt;
}

Status DeliveryWorker::DeliverOne(const Delivery& d) {
  auto arn = ParseArn(d.target_arn);
  if (arn && arn->service == "lambda") {
    if (!functions_) return MakeError("ResourceNotFoundException", "no function registry");
    auto r = functions_->Invoke(d.target_arn, d.payload);
    if (!r.ok()) return r.error();
    return OkStatus();
  }
  auto req = BuildRequest(d);
  if (!req) {
    log::Warn("events: unsupported target " + d.target_arn + "; event " + d.event_id + " dropped");
    return OkStatus();
  }
  std::string service = arn->service;
  std::string region = arn->region.empty() ? d.region : arn->region;
  for (int attempt = 0;; ++attempt) {
    http::Request r = *req;
    sigv4::SignRequest(r, creds_, region, service, clock_.NowMillis());
    http::Response res = send_(r);
    if (res.status < 300) return OkStatus();
    auto body = nlohmann::json::parse(res.body, nullptr, false);
    std::string code = body.is_object() && body.contains("__type") && body["__type"].is_string()
                           ? body["__type"].get<std::string>()
                           : std::to_string(res.status);
    if (res.status >= 500 && attempt < 2) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20 * (attempt + 1)));
      continue;
    }
    log::Warn("events: delivery of " + d.event_id + " to " + d.target_arn + " failed: " + code);
    return MakeError(code, res.body, res.status);
  }
}

void DeliveryWorker::SendToDeadLetter(const Delivery& d, const AwsError& e) {
  if (!d.dead_letter_arn) return;
  auto arn = ParseArn(*d.dead_letter_arn);
  if (!arn || arn->service != "sqs") return;
  auto attr = [](const std::string& v) {
    return nlohmann::json{{"DataType", "String"}, {"StringValue", v.empty() ? "-" : v}};
  };
  nlohmann::json attributes = {{"RULE_ARN", attr(d.rule_arn)},
                               {"TARGET_ARN", attr(d.target_arn)},
                               {"ERROR_CODE", attr(e.code)},
                               {"ERROR_MESSAGE", attr(e.message.substr(0, 256))}};
  Delivery dl = d;
  dl.message_group_id = d.message_group_id;
  auto req = SqsSend(dl, *arn, d.payload, &attributes);
  sigv4::SignRequest(*req, creds_, arn->region.empty() ? d.region : arn->region, "sqs",
                     clock_.NowMillis());
  http::Response res = send_(*req);
  if (res.status >= 300)
    log::Warn("events: dead-letter delivery to " + *d.dead_letter_arn + " failed too");
}

}  // namespace edastack::events
