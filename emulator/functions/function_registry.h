// In-process "Lambda" functions that S3 notifications, SNS `lambda` subscriptions and
// EventBridge targets can invoke by ARN (arn:aws:lambda:<region>:<account>:function:<name>).
// The executable's main registers the pipeline's functions here; the emulator never includes
// the pipeline. Thread-safe: registration happens before serving, invocation concurrently.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "protocol/core/result.h"

namespace edastack {

// Takes the event JSON text, returns the function's result text or an error.
using InProcessFunction = std::function<Result<std::string>(const std::string& event_json)>;

class FunctionRegistry {
 public:
  void Register(const std::string& name, InProcessFunction fn);
  // Accepts a bare name or a function ARN. Unknown → ResourceNotFoundException.
  Result<std::string> Invoke(const std::string& name_or_arn, const std::string& event_json) const;
  bool Exists(const std::string& name_or_arn) const;
  std::vector<std::string> Names() const;
  static std::string NameFromArn(const std::string& name_or_arn);

 private:
  mutable std::mutex mu_;
  // Guarded by mu_:
  std::map<std::string, InProcessFunction> functions_;
};

}  // namespace edastack
