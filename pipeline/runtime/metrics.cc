#include "pipeline/runtime/metrics.h"

#include <cstdio>
#include <set>

namespace edastack::pipeline {
namespace {

std::string Num(double v) {
  char buf[64];
  snprintf(buf, sizeof(buf), "%.10g", v);
  return buf;
}

}  // namespace

void Metrics::Inc(const std::string& name, const std::string& function, double by) {
  std::lock_guard<std::mutex> lock(mu_);
  counters_[{name, function}] += by;
}

void Metrics::Observe(const std::string& function, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Histogram& h = histograms_[function];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.counts[i];
  ++h.count;
  h.sum += seconds;
}

double Metrics::Get(const std::string& name, const std::string& function) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = counters_.find({name, function});
  return it == counters_.end() ? 0 : it->second;
}

uint64_t Metrics::ObservationCount(const std::string& function) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = histograms_.find(function);
  return it == histograms_.end() ? 0 : it->second.count;
}

void Metrics::AddGaugeProvider(GaugeProvider provider) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_.push_back(std::move(provider));
}

std::string Metrics::Render() const {
  std::vector<GaugeProvider> gauges;
  std::string out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    gauges = gauges_;
    std::set<std::string> typed;
    for (const auto& kv : counters_) {
      const std::string name = kv.first.first + "_total";
      if (typed.insert(name).second) out += "# TYPE " + name + " counter\n";
      out += name + "{function=\"" + kv.first.second + "\"} " + Num(kv.second) + "\n";
    }
    if (!histograms_.empty())
      out += "# TYPE edastack_pipeline_processing_seconds histogram\n";
    for (const auto& kv : histograms_) {
      const std::string base = "edastack_pipeline_processing_seconds";
      const std::string fn = "function=\"" + kv.first + "\"";
      for (size_t i = 0; i < kBuckets.size(); ++i)
        out += base + "_bucket{" + fn + ",le=\"" + Num(kBuckets[i]) + "\"} " +
               Num(static_cast<double>(kv.second.counts[i])) + "\n";
      out += base + "_bucket{" + fn + ",le=\"+Inf\"} " + Num(kv.second.count) + "\n";
      out += base + "_sum{" + fn + "} " + Num(kv.second.sum) + "\n";
      out += base + "_count{" + fn + "} " + Num(kv.second.count) + "\n";
    }
  }
  // Providers may do I/O (GetQueueAttributes): outside the lock.
  std::set<std::string> typed;
  for (const auto& provider : gauges) {
    for (const auto& g : provider()) {
      std::string name = g.first.substr(0, g.first.find('{'));
      if (typed.insert(name).second) out += "# TYPE " + name + " gauge\n";
      out += g.first + " " + Num(g.second) + "\n";
    }
  }
  return out;
}

}  // namespace edastack::pipeline
