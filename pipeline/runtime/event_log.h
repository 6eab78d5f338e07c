// Structured logs of the functions: one JSON object per line on stderr, tagged with the
// function name and the eventId (the CloudWatch log group per Lambda in the original).
// Thread-safe; honours the process log level (protocol/core/log.h).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "protocol/core/log.h"

namespace edastack::pipeline {

void LogEvent(log::Level level, const std::string& function, const std::string& event_id,
              const std::string& message, const nlohmann::json& extra = nullptr);

}  // namespace edastack::pipeline
