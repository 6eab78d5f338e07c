#include "pipeline/runtime/event_log.h"

#include <cstdio>
#include <mutex>

#include "protocol/core/clock.h"
#include "protocol/core/time_format.h"

namespace edastack::pipeline {

void LogEvent(log::Level level, const std::string& function, const std::string& event_id,
              const std::string& message, const nlohmann::json& extra) {
  if (!log::Enabled(level)) return;
  static const char* kNames[] = {"DEBUG", "INFO", "WARN", "ERROR", "OFF"};
  static std::mutex mu;
  SystemClock clock;
  nlohmann::json line = {{"time", timefmt::Iso8601Millis(clock.NowMillis())},
                         {"level", kNames[static_cast<int>(level)]},
                         {"function", function},
                         {"eventId", event_id},
                         {"message", message}};
  if (extra.is_object())
    for (auto it = extra.begin(); it != extra.end(); ++it) line[it.key()] = *it;
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mu);
  fputs(text.c_str(), stderr);
}

}  // namespace edastack::pipeline
