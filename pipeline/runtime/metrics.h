// Counters and a latency histogram per function, rendered as Prometheus text for /metrics.
// Thread-safe (one mutex; updates are a map lookup and an add). Owned by the Pipeline;
// lives as long as it.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace edastack::pipeline {

class Metrics {
 public:
  // Counter names used by the functions (suffix _total added when rendered).
  static constexpr const char* kReceived = "edastack_pipeline_events_received";
  static constexpr const char* kProcessed = "edastack_pipeline_events_processed";
  static constexpr const char* kFailed = "edastack_pipeline_events_failed";
  static constexpr const char* kDuplicates = "edastack_pipeline_events_duplicate";
  static constexpr const char* kRetries = "edastack_pipeline_retries";

  void Inc(const std::string& name, const std::string& function, double by = 1);
  // Processing latency of one event (seconds) for `function`.
  void Observe(const std::string& function, double seconds);
  double Get(const std::string& name, const std::string& function) const;
  uint64_t ObservationCount(const std::string& function) const;

  // Gauges (queue and DLQ depths) are read when rendering: each provider returns
  // (name{labels}, value) pairs. Register before serving.
  using GaugeProvider = std::function<std::vector<std::pair<std::string, double>>()>;
  void AddGaugeProvider(GaugeProvider provider);

  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   10};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  // Guarded by mu_:
  std::map<std::pair<std::string, std::string>, double> counters_;
  std::map<std::string, Histogram> histograms_;
  std::vector<GaugeProvider> gauges_;
};

}  // namespace edastack::pipeline
