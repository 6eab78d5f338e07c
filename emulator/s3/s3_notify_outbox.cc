// Notifier's durable half: Record (in the change's transaction), the outbox payload, the
// dispatch thread and start-up replay.
#include "emulator/s3/s3_notify.h"

#include <chrono>

#include "emulator/s3/s3_store.h"
#include "protocol/core/log.h"
#include "protocol/query/xml_reader.h"

namespace edastack::s3 {

Notifier::Notifier(Emulator& emu) : emu_(emu) {
  thread_ = std::thread([this] { Run(); });
}

Notifier::~Notifier() { Stop(); }

void Notifier::Stop() {
  {
    std::lock_guard<std::mutex> g(mu_);
    stop_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Notifier::Clear() {
  std::lock_guard<std::mutex> g(mu_);
  queue_.clear();
}

void Notifier::Record(const RequestContext& ctx, const std::vector<S3Event>& events,
                      const std::string& source_ip) {
  if (events.empty()) return;
  try {
    Store st(emu_.db(), ctx.account);
    auto body = st.GetConfig(events[0].bucket, "notification");
    if (!body) return;
    std::string region = ctx.region;
    if (auto b = st.GetBucket(events[0].bucket)) region = b->region;
    auto doc = xml::Parse(*body);
    if (!doc) return;
    auto cfg = ParseNotificationConfig(*doc);
    if (!cfg.ok()) return;
    std::vector<Send> sends;
    for (const auto& e : events) {
      for (const auto& rule : cfg->rules) {
        if (!RuleMatches(rule, e.name, e.key)) continue;
        sends.push_back({rule.kind, rule.arn,
                         RecordsJson(e, rule.id, region, ctx.account, ctx.request_id, source_ip)});
      }
      if (cfg->eventbridge) {
        auto entry = EventBridgeEntry(e, region, ctx.account, ctx.request_id, source_ip);
        if (!entry.is_null()) sends.push_back({"EventBridge", "", entry.dump()});
      }
    }
    if (sends.empty()) return;
    storage::Outbox& outbox = emu_.outbox();
    int64_t id = outbox.Add("s3", Encode(ctx, sends), ctx.now_ms);
    if (emu_.options().hold_deliveries) return;
    Work work{ctx, std::move(sends), nullptr};
    emu_.db().AfterCommit([this, id, w = std::move(work)]() mutable {
      w.done = emu_.outbox().MakeToken(id);
      {
        std::lock_guard<std::mutex> g(mu_);
        if (stop_) return;
        queue_.push_back(std::move(w));
      }
      cv_.notify_one();
    });
  } catch (const std::exception& ex) {
    // A storage error here aborts the change's transaction (it propagates to the server's
    // 500 handler) rather than acknowledging a change whose notifications were not recorded.
    log::Error(std::string("s3 notification recording failed: ") + ex.what());
    throw;
  }
}

void Notifier::Start() {
  if (emu_.options().hold_deliveries) return;
  size_t n = 0;
  for (auto& row : emu_.outbox().Pending("s3")) {
    auto work = Decode(row.payload);
    if (!work) {
      log::Error("s3: unreadable outbox row " + std::to_string(row.id) + " dropped");
      emu_.outbox().Done(row.id);
      continue;
    }
    work->done = emu_.outbox().MakeToken(row.id);
    {
      std::lock_guard<std::mutex> g(mu_);
      queue_.push_back(std::move(*work));
    }
    ++n;
  }
  cv_.notify_one();
  if (n) log::Info("s3: replaying " + std::to_string(n) + " pending notifications");
}

void Notifier::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    // Idle for a moment with delivered rows not yet deleted: delete them.
    if (queue_.empty() && !stop_ && emu_.outbox().HasDone() &&
        !cv_.wait_for(lock, std::chrono::milliseconds(10),
                      [this] { return stop_ || !queue_.empty(); })) {
      lock.unlock();
      emu_.outbox().Flush();
      lock.lock();
      continue;
    }
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    Work w = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    for (const auto& s : w.sends) {
      try {
        if (s.kind == "EventBridge") {
          PutEvents(w.ctx, s.body);
        } else {
          NotificationRule rule;
          rule.kind = s.kind;
          rule.arn = s.arn;
          Deliver(w.ctx, rule, s.body);
        }
      } catch (const std::exception& ex) {
        log::Error(std::string("s3 notification delivery failed: ") + ex.what());
      }
    }
    w = Work{};  // releases the outbox token: the row is done
    lock.lock();
  }
}

std::string Notifier::Encode(const RequestContext& ctx, const std::vector<Send>& sends) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : sends) list.push_back({s.kind, s.arn, s.body});
  nlohmann::json j = {{"account", ctx.account}, {"region", ctx.region},
                      {"request", ctx.request_id}, {"host", ctx.host},
                      {"scheme", ctx.scheme},     {"now", ctx.now_ms},
                      {"sends", std::move(list)}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Notifier::Work> Notifier::Decode(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    Work w;
    w.ctx.account = j.at("account").get<std::string>();
    w.ctx.region = j.at("region").get<std::string>();
    w.ctx.request_id = j.at("request").get<std::string>();
    w.ctx.host = j.at("host").get<std::string>();
    w.ctx.scheme = j.at("scheme").get<std::string>();
    w.ctx.now_ms = j.at("now").get<int64_t>();
    for (const auto& s : j.at("sends"))
      w.sends.push_back(
          {s.at(0).get<std::string>(), s.at(1).get<std::string>(), s.at(2).get<std::string>()});
    return w;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace edastack::s3
