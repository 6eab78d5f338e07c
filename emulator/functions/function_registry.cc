#include "emulator/functions/function_registry.h"

namespace edastack {

std::string FunctionRegistry::NameFromArn(const std::string& s) {
  // arn:aws:lambda:us-east-1:000000000000:function:name[:qualifier]
  const std::string marker = ":function:";
  size_t pos = s.find(marker);
  if (pos == std::string::npos) return s;
  std::string rest = s.substr(pos + marker.size());
  size_t colon = rest.find(':');
  return colon == std::string::npos ? rest : rest.substr(0, colon);
}

void FunctionRegistry::Register(const std::string& name, InProcessFunction fn) {
  std::lock_guard<std::mutex> lock(mu_);
  functions_[name] = std::move(fn);
}

Result<std::string> FunctionRegistry::Invoke(const std::string& name_or_arn,
                                             const std::string& event_json) const {
  InProcessFunction fn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = functions_.find(NameFromArn(name_or_arn));
    if (it == functions_.end())
      return MakeError("ResourceNotFoundException", "Function not found: " + name_or_arn, 404);
    fn = it->second;
  }
  return fn(event_json);  // called without the lock
}

bool FunctionRegistry::Exists(const std::string& name_or_arn) const {
  std::lock_guard<std::mutex> lock(mu_);
  return functions_.count(NameFromArn(name_or_arn)) > 0;
}

std::vector<std::string> FunctionRegistry::Names() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (const auto& kv : functions_) out.push_back(kv.first);
  return out;
}

}  // namespace edastack
