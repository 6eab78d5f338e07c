// A small closed-loop HTTP load generator for the benchmarks: N connections, each a thread
// with its own keep-alive client, for a fixed duration. Unsigned requests (edastack --auth off
// and moto_server accept them).
//
//   loadgen --endpoint http://127.0.0.1:4566 --mode MODE --connections 16 --seconds 10 [--rate N]
//           [--queue NAME] [--target ARN|BUS] [--entries N]
//           [--drain-queue-url URL --drain-threads N --drain-idle 5]
//
// Modes (one request per op unless said):
//   send        SQS SendMessage (JSON 1.0) to --queue (created).      Reports requests/s.
//   roundtrip   SQS SendMessage, ReceiveMessage, DeleteMessage.       Reports messages/s.
//   publish     SNS Publish (query protocol) to the topic ARN --target.
//   put-events  EventBridge PutEvents (JSON 1.1) of --entries entries to the bus --target,
//               source "bench", detail-type "tick". Reports events/s.
//   api-post    POST /events {"type":"bench","payload":{...}} to the pipeline API (202).
//
// Every message produced carries "T=<steady-clock ns>;" in its text. With --drain-queue-url,
// drain threads long-poll that SQS queue (ReceiveMessage 10 + DeleteMessageBatch) while the
// load runs and until nothing arrived for --drain-idle seconds after it, and report how many
// messages were delivered, when the last arrived, and the publish -> receivable delay.
// Prints one JSON line: {"mode":..,"ops":..,"seconds":..,"rate":..,"p50_ms":..,"p99_ms":..,
// "errors":..[, "delivered":.., "delivered_rate":.., "delay_p50_ms":.., "delay_p99_ms":..]}
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Options {
  std::string endpoint = "http://127.0.0.1:4566";
  std::string mode = "send";
  std::string queue = "bench-queue";
  std::string target;
  int entries = 1;
  int connections = 16;
  double seconds = 10;
  double rate = 0;  // > 0: offered requests/s in total, paced (open loop); 0: as fast as possible
  std::string drain_url;
  int drain_threads = 2;
  double drain_idle = 5;
};

const char* kAuth =
    "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/%s/aws4_request, "
    "SignedHeaders=host, Signature=0000";

std::string Auth(const char* service) {
  char buf[256];
  snprintf(buf, sizeof buf, kAuth, service);
  return buf;
}

bool CallJson(httplib::Client& c, const std::string& target, const char* service,
              const char* content_type, const std::string& body, json* out) {
  httplib::Headers h{{"X-Amz-Target", target}, {"Authorization", Auth(service)}};
  auto res = c.Post("/", h, body, content_type);
  if (!res || res->status != 200) return false;
  if (out) *out = json::parse(res->body, nullptr, false);
  return true;
}

bool Sqs(httplib::Client& c, const std::string& op, const json& body, json* out) {
  return CallJson(c, "AmazonSQS." + op, "sqs", "application/x-amz-json-1.0", body.dump(), out);
}

std::string UrlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string o;
  for (unsigned char ch : s) {
    if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      o += char(ch);
    } else {
      o += '%';
      o += hex[ch >> 4];
      o += hex[ch & 15];
    }
  }
  return o;
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

std::string Stamp() { return "T=" + std::to_string(NowNs()) + ";"; }

// One operation of the load; false on any failure.
bool RunOp(const Options& o, httplib::Client& c, const std::string& queue_url, int t) {
  if (o.mode == "send" || o.mode == "roundtrip") {
    bool ok = Sqs(c, "SendMessage",
                  {{"QueueUrl", queue_url}, {"MessageBody", "bench " + std::to_string(t) + " " + Stamp()}},
                  nullptr);
    if (!ok || o.mode == "send") return ok;
    json rec;
    if (!Sqs(c, "ReceiveMessage", {{"QueueUrl", queue_url}, {"MaxNumberOfMessages", 1}}, &rec))
      return false;
    if (rec.contains("Messages") && !rec["Messages"].empty())
      return Sqs(c, "DeleteMessage",
                 {{"QueueUrl", queue_url}, {"ReceiptHandle", rec["Messages"][0]["ReceiptHandle"]}},
                 nullptr);
    return true;
  }
  if (o.mode == "publish") {
    std::string body = "Action=Publish&Version=2010-03-31&TopicArn=" + UrlEncode(o.target) +
                       "&Message=" + UrlEncode("{\"bench\":" + std::to_string(t) + ",\"s\":\"" + Stamp() + "\"}");
    httplib::Headers h{{"Authorization", Auth("sns")}};
    auto res = c.Post("/", h, body, "application/x-www-form-urlencoded");
    return res && res->status == 200;
  }
  if (o.mode == "put-events") {
    json entries = json::array();
    for (int i = 0; i < o.entries; ++i)
      entries.push_back({{"Source", "bench"},
                         {"DetailType", "tick"},
                         {"EventBusName", o.target.empty() ? "default" : o.target},
                         {"Detail", json{{"n", t}, {"s", Stamp()}}.dump()}});
    json out;
    if (!CallJson(c, "AWSEvents.PutEvents", "events", "application/x-amz-json-1.1",
                  json{{"Entries", entries}}.dump(), &out))
      return false;
    return out.value("FailedEntryCount", 1) == 0;
  }
  if (o.mode == "api-post") {
    json body{{"type", "bench"}, {"payload", {{"n", t}, {"s", Stamp()}}}};
    auto res = c.Post("/events", body.dump(), "application/json");
    return res && res->status == 202;
  }
  return false;
}

double Pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * v.size()))];
}

// Drains a queue, recording the delay of each message from its T= stamp.
struct Drain {
  std::mutex mu;
  std::vector<double> delays_ms;
  std::atomic<long> delivered{0};
  std::atomic<int64_t> last_ns{0};
  std::atomic<int64_t> last_seen_ns{0};

  void Run(const Options& o, const std::atomic<bool>& load_done) {
    httplib::Client c(o.endpoint);
    c.set_keep_alive(true);
    c.set_tcp_nodelay(true);
    c.set_read_timeout(30, 0);
    std::vector<double> local;
    for (;;) {
      if (load_done && NowNs() - last_seen_ns.load() > int64_t(o.drain_idle * 1e9)) break;
      json rec;
      if (!Sqs(c, "ReceiveMessage",
               {{"QueueUrl", o.drain_url}, {"MaxNumberOfMessages", 10}, {"WaitTimeSeconds", 1}},
               &rec))
        continue;
      if (!rec.contains("Messages") || rec["Messages"].empty()) continue;
      int64_t now = NowNs();
      json entries = json::array();
      int i = 0;
      for (auto& m : rec["Messages"]) {
        std::string b = m.value("Body", "");
        auto p = b.find("T=");
        if (p != std::string::npos) local.push_back((now - std::stoll(b.substr(p + 2))) / 1e6);
        entries.push_back({{"Id", std::to_string(i++)}, {"ReceiptHandle", m["ReceiptHandle"]}});
      }
      delivered.fetch_add(i);
      last_ns.store(now);
      last_seen_ns.store(now);
      Sqs(c, "DeleteMessageBatch", {{"QueueUrl", o.drain_url}, {"Entries", entries}}, nullptr);
    }
    std::lock_guard<std::mutex> l(mu);
    delays_ms.insert(delays_ms.end(), local.begin(), local.end());
  }
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--endpoint") o.endpoint = v;
    else if (k == "--mode") o.mode = v;
    else if (k == "--queue") o.queue = v;
    else if (k == "--target") o.target = v;
    else if (k == "--entries") o.entries = std::stoi(v);
    else if (k == "--connections") o.connections = std::stoi(v);
    else if (k == "--seconds") o.seconds = std::stod(v);
    else if (k == "--rate") o.rate = std::stod(v);
    else if (k == "--drain-queue-url") o.drain_url = v;
    else if (k == "--drain-threads") o.drain_threads = std::stoi(v);
    else if (k == "--drain-idle") o.drain_idle = std::stod(v);
    else {
      fprintf(stderr, "loadgen: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  std::string queue_url;
  if (o.mode == "send" || o.mode == "roundtrip") {
    httplib::Client setup(o.endpoint);
    json created;
    if (!Sqs(setup, "CreateQueue", {{"QueueName", o.queue}}, &created)) {
      fprintf(stderr, "loadgen: CreateQueue failed against %s\n", o.endpoint.c_str());
      return 1;
    }
    queue_url = created.value("QueueUrl", "");
  }
  std::atomic<bool> stop{false}, load_done{false};
  std::atomic<long> ops{0}, errors{0};
  std::vector<std::vector<double>> latencies(o.connections);
  std::vector<std::thread> threads;
  Drain drain;
  drain.last_seen_ns = NowNs();
  std::vector<std::thread> drains;
  if (!o.drain_url.empty())
    for (int i = 0; i < o.drain_threads; ++i) drains.emplace_back([&] { drain.Run(o, load_done); });
  auto start = Clock::now();
  for (int t = 0; t < o.connections; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c(o.endpoint);
      c.set_keep_alive(true);
      c.set_tcp_nodelay(true);
      c.set_read_timeout(30, 0);
      auto& lat = latencies[t];
      // Paced: this connection's share of --rate, on a fixed schedule (a late request does
      // not push the next ones back).
      auto period = std::chrono::duration<double>(o.rate > 0 ? o.connections / o.rate : 0);
      auto next = Clock::now() + std::chrono::duration_cast<Clock::duration>(period * t / o.connections);
      while (!stop.load(std::memory_order_relaxed)) {
        if (o.rate > 0) {
          std::this_thread::sleep_until(next);
          next += std::chrono::duration_cast<Clock::duration>(period);
        }
        auto t0 = Clock::now();
        bool ok = RunOp(o, c, queue_url, t);
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (ok) {
          ops.fetch_add(1, std::memory_order_relaxed);
          lat.push_back(ms);
        } else {
          errors.fetch_add(1, std::memory_order_relaxed);
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& th : threads) th.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  load_done = true;
  for (auto& th : drains) th.join();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  long per_op = o.mode == "put-events" ? o.entries : 1;
  printf("{\"mode\":\"%s\",\"connections\":%d,\"ops\":%ld,\"seconds\":%.2f,\"rate\":%.0f,"
         "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"errors\":%ld",
         o.mode.c_str(), o.connections, ops.load() * per_op, secs, ops.load() * per_op / secs,
         Pct(all, 0.5), Pct(all, 0.99), errors.load());
  if (!o.drain_url.empty()) {
    double span = (drain.last_ns.load() - std::chrono::duration_cast<std::chrono::nanoseconds>(
                                              start.time_since_epoch()).count()) / 1e9;
    printf(",\"delivered\":%ld,\"delivered_seconds\":%.2f,\"delivered_rate\":%.0f,"
           "\"delay_p50_ms\":%.3f,\"delay_p99_ms\":%.3f",
           drain.delivered.load(), span, span > 0 ? drain.delivered.load() / span : 0.0,
           Pct(drain.delays_ms, 0.5), Pct(drain.delays_ms, 0.99));
  }
  printf("}\n");
  return 0;
}
