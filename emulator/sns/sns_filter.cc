#include "emulator/sns/sns_filter.h"

#include <nlohmann/json.hpp>

#include "emulator/filter/pattern.h"
#include "emulator/sns/sns_errors.h"
#include "emulator/sns/sns_message.h"

namespace edastack::sns {

struct FilterPolicy::Impl {
  bool body_scope = false;
  filter::Pattern pattern;
};

Result<std::shared_ptr<const FilterPolicy>> FilterPolicy::Compile(const std::string& policy,
                                                                  const std::string& scope) {
  auto impl = std::make_shared<Impl>();
  impl->body_scope = scope == "MessageBody";
  auto j = nlohmann::json::parse(policy, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return errors::InvalidParameter("Invalid parameter: FilterPolicy: failed to parse JSON.");
  auto compiled = filter::Pattern::Compile(
      j, impl->body_scope ? filter::Dialect::kSnsBody : filter::Dialect::kSnsAttributes);
  if (!compiled.ok()) return compiled.take_error();
  impl->pattern = std::move(compiled).value();
  return std::make_shared<const FilterPolicy>(impl);
}

bool FilterPolicy::Matches(const std::string& message, const MessageAttributes& attrs) const {
  if (impl_->body_scope) {
    auto doc = nlohmann::json::parse(message, nullptr, false);
    if (!doc.is_object()) return false;
    return impl_->pattern.Matches(doc);
  }
  return impl_->pattern.Matches(FilterDocument(attrs));
}

}  // namespace edastack::sns
