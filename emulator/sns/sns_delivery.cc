#include "emulator/sns/sns_delivery.h"

#include <httplib.h>

#include <unordered_map>

#include <nlohmann/json.hpp>

#include "emulator/server/emulator.h"
#include "protocol/core/crypto.h"
#include "protocol/core/ids.h"
#include "protocol/core/log.h"
#include "protocol/core/strings.h"
#include "protocol/sigv4/signer.h"

namespace edastack::sns {
namespace {

// In-process targets (SQS server errors, Lambda failures) are retried quickly.
constexpr int kInProcessRetries = 2;
constexpr int64_t kInProcessRetryDelayMs = 200;

int IntField(const nlohmann::json& j, const char* name, int dflt) {
  auto it = j.find(name);
  if (it == j.end()) return dflt;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) {
    try {
      return std::stoi(it->get<std::string>());
    } catch (...) {
    }
  }
  return dflt;
}

void ApplyRetryJson(const nlohmann::json& j, RetryPolicy* p) {
  if (!j.is_object()) return;
  p->num_retries = IntField(j, "numRetries", p->num_retries);
  p->num_no_delay_retries = IntField(j, "numNoDelayRetries", p->num_no_delay_retries);
  p->num_min_delay_retries = IntField(j, "numMinDelayRetries", p->num_min_delay_retries);
  p->num_max_delay_retries = IntField(j, "numMaxDelayRetries", p->num_max_delay_retries);
  p->min_delay_s = IntField(j, "minDelayTarget", p->min_delay_s);
  p->max_delay_s = IntField(j, "maxDelayTarget", p->max_delay_s);
  if (p->max_delay_s < p->min_delay_s) p->max_delay_s = p->min_delay_s;
}

std::string HostOf(const std::string& origin) {
  auto pos = origin.find("://");
  return pos == std::string::npos ? origin : origin.substr(pos + 3);
}

nlohmann::json SqsAttributes(const MessageAttributes& attrs) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& kv : attrs) {
    if (kv.second.IsBinary())
      out[kv.first] = {{"DataType", kv.second.data_type},
                       {"BinaryValue", crypto::Base64Encode(kv.second.value)}};
    else
      out[kv.first] = {{"DataType", kv.second.data_type}, {"StringValue", kv.second.value}};
  }
  return out;
}

}  // namespace

int64_t RetryPolicy::DelayMs(int retry) const {
  int backoff = num_retries - num_no_delay_retries - num_min_delay_retries - num_max_delay_retries;
  if (backoff < 0) backoff = 0;
  if (retry <= num_no_delay_retries) return 0;
  retry -= num_no_delay_retries;
  if (retry <= num_min_delay_retries) return int64_t{min_delay_s} * 1000;
  retry -= num_min_delay_retries;
  if (retry <= backoff) {
    if (backoff <= 1) return int64_t{min_delay_s} * 1000;
    double frac = static_cast<double>(retry - 1) / (backoff - 1);
    return static_cast<int64_t>((min_delay_s + frac * (max_delay_s - min_delay_s)) * 1000);
  }
  return int64_t{max_delay_s} * 1000;
}

RetryPolicy EffectiveRetryPolicy(const std::string& topic_policy,
                                 const std::string& subscription_policy) {
  RetryPolicy p;
  auto t = nlohmann::json::parse(topic_policy.empty() ? "{}" : topic_policy, nullptr, false);
  if (t.is_object()) {
    for (const char* proto : {"http", "https"}) {
      auto it = t.find(proto);
      if (it != t.end() && it->is_object() && it->contains("defaultHealthyRetryPolicy")) {
        ApplyRetryJson((*it)["defaultHealthyRetryPolicy"], &p);
        break;
      }
    }
  }
  auto s = nlohmann::json::parse(subscription_policy.empty() ? "{}" : subscription_policy,
                                 nullptr, false);
  if (s.is_object() && s.contains("healthyRetryPolicy")) ApplyRetryJson(s["healthyRetryPolicy"], &p);
  return p;
}

Delivery::Delivery(Emulator& emu, const Signer& signer, size_t retry_threads)
    : emu_(emu),
      signer_(signer),
      unsubscribe_placeholder_("edastack-unsubscribe-url-" + ids::RandomHex(16)) {
  for (size_t i = 0; i < kOrderedLanes; ++i) threads_.emplace_back([this, i] { OrderedLoop(i); });
  for (size_t i = 0; i < retry_threads; ++i) threads_.emplace_back([this] { RetryLoop(); });
}

Delivery::~Delivery() { Shutdown(); }

void Delivery::Shutdown() {
  {
    std::lock_guard<std::mutex> g(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  for (auto& lane : lanes_) lane.cv.notify_all();
  retry_cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void Delivery::Dispatch(Fanout fanout, int64_t delay_ms) {
  if (emu_.options().hold_deliveries) return;
  if (fanout.outbox_id && !fanout.done) fanout.done = emu_.outbox().MakeToken(fanout.outbox_id);
  // Sign on this (publishing) thread: many publish threads share the signing work that the
  // ordered lanes would otherwise do alone. One signature serves every SQS envelope.
  for (const auto& s : *fanout.subscribers) {
    if (s->sub.protocol == "sqs" && !s->sub.Raw()) {
      fanout.signature = NotificationSignature(
          fanout.message, MessageFor(fanout.message.entry, "sqs"), fanout.signature_version,
          signer_);
      break;
    }
  }
  auto f = std::make_shared<const Fanout>(std::move(fanout));
  if (delay_ms > 0) {
    Job job;
    job.fanout = std::move(f);
    Schedule(std::move(job), delay_ms);
    return;
  }
  Enqueue(std::move(f));
}

size_t Delivery::LaneOf(const Subscriber& s) {
  std::lock_guard<std::mutex> g(lane_of_mu_);
  auto it = lane_of_.find(s.sub.endpoint);
  if (it != lane_of_.end()) return it->second;
  size_t lane = 0;
  for (size_t i = 1; i < kOrderedLanes; ++i)
    if (lane_endpoints_[i] < lane_endpoints_[lane]) lane = i;
  ++lane_endpoints_[lane];
  lane_of_.emplace(s.sub.endpoint, lane);
  return lane;
}

void Delivery::Enqueue(std::shared_ptr<const Fanout> f) {
  // Only the lanes with a subscriber of this fan-out get it (lane 0 one without any). The
  // lanes hold the only references: the last lane to finish marks the outbox row done, and
  // so flushes it when it goes idle.
  bool wanted[kOrderedLanes] = {};
  for (const auto& s : *f->subscribers) wanted[LaneOf(*s)] = true;
  size_t last = kOrderedLanes;
  for (size_t i = 0; i < kOrderedLanes; ++i)
    if (wanted[i]) last = i;
  if (last == kOrderedLanes) wanted[last = 0] = true;
  {
    std::lock_guard<std::mutex> g(mu_);
    if (stopping_) return;
    for (size_t i = 0; i < last; ++i)
      if (wanted[i]) lanes_[i].queue.push_back(f);
    lanes_[last].queue.push_back(std::move(f));
  }
  for (size_t i = 0; i < kOrderedLanes; ++i)
    if (wanted[i]) lanes_[i].cv.notify_one();
}

void Delivery::Clear() {
  std::lock_guard<std::mutex> g(mu_);
  for (auto& lane : lanes_) lane.queue.clear();
  scheduled_ = {};
}

void Delivery::SendConfirmation(ConfirmationRequest confirm, int64_t delay_ms) {
  if (emu_.options().hold_deliveries) return;
  if (confirm.outbox_id && !confirm.done) confirm.done = emu_.outbox().MakeToken(confirm.outbox_id);
  Job job;
  job.confirm = std::make_shared<const ConfirmationRequest>(std::move(confirm));
  Schedule(std::move(job), delay_ms);
}

void Delivery::Schedule(Job job, int64_t delay_ms) {
  job.due = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms);
  {
    std::lock_guard<std::mutex> g(mu_);
    if (stopping_) return;
    job.seq = next_seq_++;
    scheduled_.push(std::move(job));
  }
  retry_cv_.notify_one();
}

void Delivery::OrderedLoop(size_t lane) {
  auto& q = lanes_[lane].queue;
  auto& cv = lanes_[lane].cv;
  for (;;) {
    std::vector<std::shared_ptr<const Fanout>> round;
    {
      std::unique_lock<std::mutex> lock(mu_);
      // Idle for a moment with delivered rows not yet deleted: delete them (under load the
      // next Publish's transaction does it for free).
      if (q.empty() && !stopping_ && emu_.outbox().HasDone() &&
          !cv.wait_for(lock, std::chrono::milliseconds(10),
                       [&] { return stopping_ || !q.empty(); })) {
        lock.unlock();
        emu_.outbox().Flush();
        continue;
      }
      cv.wait(lock, [&] { return stopping_ || !q.empty(); });
      if (stopping_) return;
      // Everything queued so far (bounded): its SQS copies go out in batches per queue.
      while (!q.empty() && round.size() < kMaxFanoutsPerRound) {
        round.push_back(std::move(q.front()));
        q.pop_front();
      }
    }
    try {
      FanOut(round, lane);
    } catch (const std::exception& e) {
      log::Error(std::string("sns delivery: ") + e.what());
    }
  }
}

void Delivery::RetryLoop() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      for (;;) {
        if (stopping_) return;
        if (scheduled_.empty()) {
          retry_cv_.wait(lock);
          continue;
        }
        auto due = scheduled_.top().due;
        if (due <= std::chrono::steady_clock::now()) break;
        retry_cv_.wait_until(lock, due);
      }
      job = scheduled_.top();
      scheduled_.pop();
    }
    try {
      Run(std::move(job));
      // The last job of a fan-out may finish here: with nothing else due, delete done rows.
      bool idle;
      {
        std::lock_guard<std::mutex> g(mu_);
        idle = scheduled_.empty();
      }
      if (idle) emu_.outbox().Flush();
    } catch (const std::exception& e) {
      log::Error(std::string("sns delivery: ") + e.what());
    }
  }
}

void Delivery::FanOut(const std::vector<std::shared_ptr<const Fanout>>& fanouts, size_t lane) {
  // SQS copies grouped by (queue, origin), queues in order of first appearance, copies in
  // publish order.
  std::vector<std::vector<SqsCopy>> queues;
  std::unordered_map<std::string, size_t> index;
  for (const auto& f : fanouts) {
    // The envelopes of one message differ only in UnsubscribeURL: built once per fan-out,
    // around a placeholder, and completed per subscriber.
    std::string head, tail;
    for (const auto& s : *f->subscribers) {
      if (LaneOf(*s) != lane) continue;
      if (s->filter && !s->filter->Matches(MessageFor(f->message.entry, s->sub.protocol),
                                           f->message.entry.attributes))
        continue;
      Job job;
      job.fanout = f;
      job.subscriber = s;
      if (s->sub.protocol != "sqs") {
        Schedule(std::move(job), 0);
        continue;
      }
      std::string key = s->sub.endpoint + '\n' + f->message.origin;
      auto it = index.find(key);
      if (it == index.end()) {
        it = index.emplace(std::move(key), queues.size()).first;
        queues.emplace_back();
      }
      SqsCopy copy;
      if (s->sub.Raw()) {
        copy.body = MessageFor(f->message.entry, "sqs");
      } else {
        if (head.empty()) {
          EnvelopeLinks links = Links(*f, *s);
          links.unsubscribe_url = unsubscribe_placeholder_;
          head = NotificationJson(f->message, MessageFor(f->message.entry, "sqs"), links, signer_);
          size_t at = head.rfind(unsubscribe_placeholder_);
          tail = head.substr(at + unsubscribe_placeholder_.size());
          head.resize(at);
        }
        // A URI-encoded URL needs no JSON escaping: spliced as is.
        const std::string url = Links(*f, *s).unsubscribe_url;
        copy.body.reserve(head.size() + url.size() + tail.size());
        copy.body.append(head).append(url).append(tail);
      }
      if (s->sub.Raw()) copy.attrs = &f->message.entry.attributes;
      copy.job = std::move(job);
      queues[it->second].push_back(std::move(copy));
    }
  }
  for (auto& copies : queues) {
    size_t i = 0;
    while (i < copies.size()) {
      size_t j = i + 1, bytes = copies[i].body.size();
      while (j < copies.size() && j - i < kSqsBatchMax &&
             bytes + copies[j].body.size() <= kSqsBatchBytes) {
        bytes += copies[j].body.size();
        ++j;
      }
      if (j - i == 1) Run(std::move(copies[i].job));
      else SendSqsBatch(&copies[i], j - i);
      i = j;
    }
  }
}

void Delivery::SendSqsBatch(SqsCopy* copies, size_t n) {
  const Fanout& f0 = *copies[0].job.fanout;
  const std::string& queue_arn = copies[0].job.subscriber->sub.endpoint;
  auto arn = ParseArn(queue_arn);
  bool fifo = arn && str::EndsWith(arn->resource, ".fifo");
  nlohmann::json entries = nlohmann::json::array();
  for (size_t k = 0; k < n; ++k) {
    const Fanout& f = *copies[k].job.fanout;
    nlohmann::json e = {{"Id", std::to_string(k)}, {"MessageBody", std::move(copies[k].body)}};
    if (copies[k].attrs && !copies[k].attrs->empty())
      e["MessageAttributes"] = SqsAttributes(*copies[k].attrs);
    if (fifo) {
      if (f.message.entry.group_id) e["MessageGroupId"] = *f.message.entry.group_id;
      if (!f.message.dedup_id.empty()) e["MessageDeduplicationId"] = f.message.dedup_id;
    }
    entries.push_back(std::move(e));
  }
  nlohmann::json out;
  if (arn) {
    http::Response res = SendSqs(queue_arn, f0.message.origin, "SendMessageBatch",
                                 nlohmann::json{{"Entries", std::move(entries)}});
    if (res.status == 200) out = nlohmann::json::parse(res.body, nullptr, false);
  }
  if (!out.is_object()) {
    // The whole call failed (queue deleted, ...): each copy the single way, with its
    // retries and DLQ.
    for (size_t k = 0; k < n; ++k) Run(std::move(copies[k].job));
    return;
  }
  auto failed = out.find("Failed");
  if (failed == out.end() || !failed->is_array()) return;
  for (const auto& e : *failed) {
    size_t k = n;
    try {
      k = std::stoul(e.value("Id", std::string()));
    } catch (...) {
    }
    if (k >= n) continue;
    std::string error = "SQS SendMessageBatch to " + queue_arn + " failed: " +
                        e.value("Code", std::string()) + ": " + e.value("Message", std::string());
    ++copies[k].job.attempt;
    Settle(std::move(copies[k].job),
           e.value("SenderFault", true) ? Outcome::kFailed : Outcome::kRetry, error);
  }
}

int Delivery::MaxAttempts(const Job& job) const {
  const std::string& proto = job.confirm ? job.confirm->sub.protocol : job.subscriber->sub.protocol;
  if (proto == "http" || proto == "https") {
    const std::string& topic_policy =
        job.confirm ? job.confirm->topic_delivery_policy : job.fanout->topic_delivery_policy;
    auto sub_attrs = job.confirm ? job.confirm->sub.attributes : job.subscriber->sub.attributes;
    auto it = sub_attrs.find("DeliveryPolicy");
    return 1 + EffectiveRetryPolicy(topic_policy, it == sub_attrs.end() ? "" : it->second)
                   .num_retries;
  }
  return 1 + kInProcessRetries;
}

int64_t Delivery::RetryDelayMs(const Job& job) const {
  const std::string& proto = job.confirm ? job.confirm->sub.protocol : job.subscriber->sub.protocol;
  if (proto == "http" || proto == "https") {
    const std::string& topic_policy =
        job.confirm ? job.confirm->topic_delivery_policy : job.fanout->topic_delivery_policy;
    auto sub_attrs = job.confirm ? job.confirm->sub.attributes : job.subscriber->sub.attributes;
    auto it = sub_attrs.find("DeliveryPolicy");
    return EffectiveRetryPolicy(topic_policy, it == sub_attrs.end() ? "" : it->second)
        .DelayMs(job.attempt);
  }
  return kInProcessRetryDelayMs;
}

void Delivery::Run(Job job) {
  if (!job.confirm && !job.subscriber) {  // a delayed Dispatch fell due
    Enqueue(std::move(job.fanout));
    return;
  }
  std::string error;
  Outcome o;
  if (job.confirm) {
    o = SendConfirmationNow(*job.confirm, &error);
  } else {
    const std::string& proto = job.subscriber->sub.protocol;
    if (proto == "sqs") o = DeliverSqs(*job.fanout, *job.subscriber, &error);
    else if (proto == "lambda") o = DeliverLambda(*job.fanout, *job.subscriber, &error);
    else o = DeliverHttp(*job.fanout, *job.subscriber, &error);
  }
  ++job.attempt;
  Settle(std::move(job), o, error);
}

void Delivery::Settle(Job job, Outcome o, const std::string& error) {
  if (o == Outcome::kOk) return;
  if (o == Outcome::kRetry && job.attempt < MaxAttempts(job)) {
    int64_t delay = RetryDelayMs(job);
    int64_t outbox_id = job.fanout ? job.fanout->outbox_id
                        : job.confirm ? job.confirm->outbox_id
                                      : 0;
    if (outbox_id)
      emu_.outbox().Reschedule(outbox_id, job.attempt, emu_.clock().NowMillis() + delay);
    Schedule(std::move(job), delay);
    return;
  }
  if (job.confirm) {
    log::Warn("sns: subscription confirmation to " + job.confirm->sub.endpoint + " failed: " + error);
    return;
  }
  ToDeadLetterQueue(*job.fanout, *job.subscriber, error);
}

EnvelopeLinks Delivery::Links(const Fanout& f, const Subscriber& s) const {
  EnvelopeLinks links;
  links.signature_version = f.signature_version.empty() ? "1" : f.signature_version;
  if (s.sub.protocol == "sqs") links.signature = f.signature;
  links.signing_cert_url = f.message.origin + "/_edastack/sns/SimpleNotificationService.pem";
  links.unsubscribe_url = f.message.origin + "/?Action=Unsubscribe&SubscriptionArn=" +
                          str::UriEncode(s.sub.arn) + "&Version=2010-03-31";
  return links;
}

http::Response Delivery::SendSqs(const std::string& queue_arn, const std::string& origin,
                                 const char* action, nlohmann::json params) {
  auto arn = ParseArn(queue_arn);
  http::Request req;
  req.method = "POST";
  req.target = "/";
  req.headers.emplace("Host", HostOf(origin));
  req.headers.emplace("X-Amz-Target", std::string("AmazonSQS.") + action);
  req.headers.emplace("Content-Type", "application/x-amz-json-1.0");
  params["QueueUrl"] = origin + "/" + arn->account + "/" + arn->resource;
  req.body = params.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  req.remote_addr = "127.0.0.1";
  // Always signed: the credential scope carries the queue's region (SQS keys queues by
  // region), and the signature passes when --auth sigv4 is on.
  const auto& creds = emu_.options().credentials;
  sigv4::Credentials c{"test", "test", ""};
  if (!creds.empty()) c = {creds.begin()->first, creds.begin()->second, ""};
  sigv4::SignRequest(req, c, arn->region, "sqs", emu_.clock().NowMillis());
  return emu_.Handle(req);
}

Delivery::Outcome Delivery::SendToQueue(const std::string& queue_arn, const std::string& origin,
                                        const std::string& body, const MessageAttributes* attrs,
                                        const std::string& group_id, const std::string& dedup_id,
                                        std::string* error) {
  auto arn = ParseArn(queue_arn);
  if (!arn) {
    *error = "invalid queue ARN " + queue_arn;
    return Outcome::kFailed;
  }
  nlohmann::json j;
  j["MessageBody"] = body;
  if (attrs && !attrs->empty()) j["MessageAttributes"] = SqsAttributes(*attrs);
  if (str::EndsWith(arn->resource, ".fifo")) {
    if (!group_id.empty()) j["MessageGroupId"] = group_id;
    if (!dedup_id.empty()) j["MessageDeduplicationId"] = dedup_id;
  }
  http::Response res = SendSqs(queue_arn, origin, "SendMessage", std::move(j));
  if (res.status == 200) return Outcome::kOk;
  *error = "SQS SendMessage to " + queue_arn + " answered " + std::to_string(res.status) + ": " +
           res.body;
  // Client-side errors (queue deleted, message rejected) are not retried.
  return res.status >= 400 && res.status < 500 ? Outcome::kFailed : Outcome::kRetry;
}

std::string Delivery::SqsBody(const Fanout& f, const Subscriber& s) const {
  std::string message = MessageFor(f.message.entry, "sqs");
  if (s.sub.Raw()) return message;
  return NotificationJson(f.message, message, Links(f, s), signer_);
}

Delivery::Outcome Delivery::DeliverSqs(const Fanout& f, const Subscriber& s, std::string* error) {
  const std::string& group = f.message.entry.group_id ? *f.message.entry.group_id : "";
  return SendToQueue(s.sub.endpoint, f.message.origin, SqsBody(f, s),
                     s.sub.Raw() ? &f.message.entry.attributes : nullptr, group,
                     f.message.dedup_id, error);
}

Delivery::Outcome Delivery::DeliverLambda(const Fanout& f, const Subscriber& s,
                                          std::string* error) {
  std::string event = LambdaEventJson(f.message, MessageFor(f.message.entry, "lambda"),
                                      s.sub.arn, Links(f, s), signer_);
  auto r = emu_.functions().Invoke(s.sub.endpoint, event);
  if (r.ok()) return Outcome::kOk;
  *error = r.error().code + ": " + r.error().message;
  return Outcome::kRetry;
}

Delivery::Outcome Delivery::PostHttp(
    const std::string& url, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers, std::string* error) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    *error = "bad endpoint " + url;
    return Outcome::kFailed;
  }
  size_t path_start = url.find('/', scheme_end + 3);
  std::string base = path_start == std::string::npos ? url : url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client cli(base);
  cli.set_connection_timeout(2, 0);
  cli.set_read_timeout(5, 0);
  cli.set_write_timeout(5, 0);
  cli.enable_server_certificate_verification(false);
  httplib::Headers h;
  for (const auto& kv : headers) h.emplace(kv.first, kv.second);
  h.emplace("User-Agent", "Amazon Simple Notification Service Agent");
  auto res = cli.Post(path, h, body, "text/plain; charset=UTF-8");
  if (!res) {
    *error = "POST " + url + " failed: " + httplib::to_string(res.error());
    return Outcome::kRetry;
  }
  if (res->status >= 200 && res->status < 300) return Outcome::kOk;
  *error = "POST " + url + " answered " + std::to_string(res->status);
  return Outcome::kRetry;
}

Delivery::Outcome Delivery::DeliverHttp(const Fanout& f, const Subscriber& s, std::string* error) {
  std::string message = MessageFor(f.message.entry, s.sub.protocol);
  std::vector<std::pair<std::string, std::string>> headers = {
      {"x-amz-sns-message-type", "Notification"},
      {"x-amz-sns-message-id", f.message.message_id},
      {"x-amz-sns-topic-arn", f.message.topic_arn},
      {"x-amz-sns-subscription-arn", s.sub.arn}};
  if (s.sub.Raw()) {
    headers.emplace_back("x-amz-sns-rawdelivery", "true");
    return PostHttp(s.sub.endpoint, message, headers, error);
  }
  return PostHttp(s.sub.endpoint, NotificationJson(f.message, message, Links(f, s), signer_),
                  headers, error);
}

Delivery::Outcome Delivery::SendConfirmationNow(const ConfirmationRequest& c, std::string* error) {
  std::string message_id = ids::Uuid();
  std::string subscribe_url = c.origin + "/?Action=ConfirmSubscription&TopicArn=" +
                              str::UriEncode(c.sub.topic_arn) + "&Token=" + c.sub.token +
                              "&Version=2010-03-31";
  EnvelopeLinks links;
  links.signature_version = c.signature_version.empty() ? "1" : c.signature_version;
  links.signing_cert_url = c.origin + "/_edastack/sns/SimpleNotificationService.pem";
  std::string body = ConfirmationJson(message_id, c.sub.token, c.sub.topic_arn, subscribe_url,
                                      c.now_ms, links, signer_);
  return PostHttp(c.sub.endpoint, body,
                  {{"x-amz-sns-message-type", "SubscriptionConfirmation"},
                   {"x-amz-sns-message-id", message_id},
                   {"x-amz-sns-topic-arn", c.sub.topic_arn}},
                  error);
}

void Delivery::ToDeadLetterQueue(const Fanout& f, const Subscriber& s, const std::string& why) {
  auto it = s.sub.attributes.find("RedrivePolicy");
  std::string dlq;
  if (it != s.sub.attributes.end()) {
    auto j = nlohmann::json::parse(it->second, nullptr, false);
    if (j.is_object() && j.contains("deadLetterTargetArn") && j["deadLetterTargetArn"].is_string())
      dlq = j["deadLetterTargetArn"].get<std::string>();
  }
  if (dlq.empty()) {
    log::Warn("sns: message " + f.message.message_id + " to " + s.sub.endpoint +
              " dropped: " + why);
    return;
  }
  std::string message = MessageFor(f.message.entry, s.sub.protocol);
  std::string error;
  const std::string& group = f.message.entry.group_id ? *f.message.entry.group_id : "";
  Outcome o = s.sub.Raw()
                  ? SendToQueue(dlq, f.message.origin, message, &f.message.entry.attributes, group,
                                f.message.dedup_id, &error)
                  : SendToQueue(dlq, f.message.origin,
                                NotificationJson(f.message, message, Links(f, s), signer_),
                                nullptr, group, f.message.dedup_id, &error);
  if (o != Outcome::kOk)
    log::Warn("sns: message " + f.message.message_id + " lost: " + why + "; DLQ: " + error);
}

}  // namespace edastack::sns
