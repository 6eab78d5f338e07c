// Shared by the outbox replay tests: a fake SQS service that records what it is sent, a
// per-test data directory for an Emulator over a database file, and one "process" of a test.
#pragma once

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/server/emulator.h"

namespace edastack::testing {

// Answers every SendMessage / SendMessageBatch with success and records the request bodies.
class RecordingSqs : public ServiceHandler {
 public:
  http::Response Handle(const RequestContext& ctx, const http::Route& route,
                        http::Request& req) override {
    auto j = nlohmann::json::parse(req.body);
    http::Response res;
    res.SetHeader("Content-Type", "application/x-amz-json-1.0");
    std::lock_guard<std::mutex> g(mu_);
    if (j.contains("Entries")) {
      nlohmann::json ok = nlohmann::json::array();
      for (const auto& e : j["Entries"]) {
        bodies_.push_back(e.value("MessageBody", ""));
        ok.push_back({{"Id", e["Id"]}, {"MessageId", "m"}});
      }
      res.body = nlohmann::json{{"Successful", ok}, {"Failed", nlohmann::json::array()}}.dump();
    } else {
      bodies_.push_back(j.value("MessageBody", ""));
      res.body = R"({"MessageId":"m"})";
    }
    cv_.notify_all();
    return res;
  }
  // Waits until at least n bodies arrived (or 5 s) and returns them in arrival order.
  std::vector<std::string> WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(5), [&] { return bodies_.size() >= n; });
    return bodies_;
  }
  size_t Count() {
    std::lock_guard<std::mutex> g(mu_);
    return bodies_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> bodies_;
};

struct DataDir {
  std::filesystem::path path;
  explicit DataDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() /
             ("edastack-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~DataDir() { std::filesystem::remove_all(path); }
  EmulatorOptions Options(bool hold) const {
    EmulatorOptions o;
    o.data_dir = path.string();
    o.hold_deliveries = hold;
    return o;
  }
};

// One process of a replay test: an Emulator over `o` (its own manual clock) with the
// service under test, added by `add`, and a RecordingSqs; started, and shut down when
// destroyed.
struct ReplayProcess {
  ManualClock clock;
  std::unique_ptr<Emulator> emu;
  RecordingSqs* sqs = nullptr;
  ReplayProcess(const EmulatorOptions& o, const std::function<void(Emulator&)>& add) {
    emu = std::make_unique<Emulator>(o, clock);
    add(*emu);
    auto fake = std::make_unique<RecordingSqs>();
    sqs = fake.get();
    emu->AddService(http::Service::kSqs, std::move(fake));
    emu->Start();
  }
  ~ReplayProcess() { emu->Shutdown(); }
};

// Polls `pred` for up to 5 s.
template <typename Pred>
bool Eventually(Pred pred) {
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

}  // namespace edastack::testing
