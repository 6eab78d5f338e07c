// A small closed-loop HTTP load generator for the SQS benchmarks: N connections, each a
// thread with its own keep-alive client, for a fixed duration. Talks the SQS JSON 1.0
// protocol unsigned (edastack --auth off and moto_server accept that).
//
//   loadgen --endpoint http://127.0.0.1:4566 --mode send|roundtrip --connections 16
//           --seconds 10 [--queue NAME]
//
// send:      SendMessage in a loop.                     Reports requests/s.
// roundtrip: SendMessage, ReceiveMessage, DeleteMessage. Reports messages/s (one per triple).
// Prints one JSON line: {"mode":..,"ops":..,"seconds":..,"rate":..,"p50_ms":..,"p99_ms":..,"errors":..}
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string endpoint = "http://127.0.0.1:4566";
  std::string mode = "send";
  std::string queue = "bench-queue";
  int connections = 16;
  double seconds = 10;
};

httplib::Headers Headers(const std::string& op) {
  return {{"X-Amz-Target", "AmazonSQS." + op},
          {"Authorization",
           "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/sqs/aws4_request, "
           "SignedHeaders=host, Signature=0000"}};
}

bool Call(httplib::Client& c, const std::string& op, const nlohmann::json& body,
          nlohmann::json* out) {
  auto res = c.Post("/", Headers(op), body.dump(), "application/x-amz-json-1.0");
  if (!res || res->status != 200) return false;
  if (out) *out = nlohmann::json::parse(res->body, nullptr, false);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--endpoint") o.endpoint = v;
    else if (k == "--mode") o.mode = v;
    else if (k == "--queue") o.queue = v;
    else if (k == "--connections") o.connections = std::stoi(v);
    else if (k == "--seconds") o.seconds = std::stod(v);
  }
  httplib::Client setup(o.endpoint);
  nlohmann::json created;
  if (!Call(setup, "CreateQueue", {{"QueueName", o.queue}}, &created)) {
    fprintf(stderr, "loadgen: CreateQueue failed against %s\n", o.endpoint.c_str());
    return 1;
  }
  std::string url = created.value("QueueUrl", "");
  std::atomic<bool> stop{false};
  std::atomic<long> ops{0}, errors{0};
  std::vector<std::vector<double>> latencies(o.connections);
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int t = 0; t < o.connections; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c(o.endpoint);
      c.set_keep_alive(true);
      c.set_tcp_nodelay(true);
      c.set_read_timeout(30, 0);
      auto& lat = latencies[t];
      std::string body = "benchmark message body " + std::to_string(t);
      while (!stop.load(std::memory_order_relaxed)) {
        auto t0 = Clock::now();
        bool ok = Call(c, "SendMessage", {{"QueueUrl", url}, {"MessageBody", body}}, nullptr);
        if (ok && o.mode == "roundtrip") {
          nlohmann::json rec;
          ok = Call(c, "ReceiveMessage", {{"QueueUrl", url}, {"MaxNumberOfMessages", 1}}, &rec);
          if (ok && rec.contains("Messages") && !rec["Messages"].empty()) {
            ok = Call(c, "DeleteMessage",
                      {{"QueueUrl", url}, {"ReceiptHandle", rec["Messages"][0]["ReceiptHandle"]}},
                      nullptr);
          }
        }
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
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[std::min(all.size() - 1, size_t(p * all.size()))]; };
  printf("{\"mode\":\"%s\",\"connections\":%d,\"ops\":%ld,\"seconds\":%.2f,\"rate\":%.0f,"
         "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"errors\":%ld}\n",
         o.mode.c_str(), o.connections, ops.load(), secs, ops.load() / secs, pct(0.5), pct(0.99),
         errors.load());
  return 0;
}
