#include "protocol/core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "protocol/core/clock.h"
#include "protocol/core/time_format.h"

namespace edastack::log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_write_mu;
}  // namespace

void SetLevel(Level level) { g_level = static_cast<int>(level); }
Level GetLevel() { return static_cast<Level>(g_level.load(std::memory_order_relaxed)); }

bool ParseLevel(const std::string& t, Level* out) {
  if (t == "debug") *out = Level::kDebug;
  else if (t == "info") *out = Level::kInfo;
  else if (t == "warn" || t == "warning") *out = Level::kWarn;
  else if (t == "error") *out = Level::kError;
  else if (t == "off") *out = Level::kOff;
  else return false;
  return true;
}

void Write(Level level, const std::string& message) {
  static const char* kNames[] = {"DEBUG", "INFO", "WARN", "ERROR", "OFF"};
  SystemClock clock;
  std::string line = timefmt::Iso8601Millis(clock.NowMillis()) + " " +
                     kNames[static_cast<int>(level)] + " " + message + "\n";
  std::lock_guard<std::mutex> lock(g_write_mu);
  fputs(line.c_str(), stderr);
}

}  // namespace edastack::log
