// Filter policies (subscription attributes FilterPolicy / FilterPolicyScope) over the shared
// matcher filter::Pattern. Immutable once compiled; thread-safe.
#pragma once

#include <memory>
#include <string>

#include "emulator/sns/sns_types.h"
#include "protocol/core/result.h"

namespace edastack::sns {

class FilterPolicy {
 public:
  // Compiles `policy` (JSON text) for `scope` ("MessageAttributes", the default, or
  // "MessageBody"). A bad policy → InvalidParameter.
  static Result<std::shared_ptr<const FilterPolicy>> Compile(const std::string& policy,
                                                             const std::string& scope);
  // Does a message with this body and these attributes pass?
  bool Matches(const std::string& message, const MessageAttributes& attrs) const;

  struct Impl;
  explicit FilterPolicy(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const Impl> impl_;
};

}  // namespace edastack::sns
