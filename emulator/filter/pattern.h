// The one content-filtering matcher shared by SNS filter policies and EventBridge event
// patterns (PROTOCOLS.md §3.2 and §6.4). Compile once (on Subscribe / PutRule), match many
// times. A compiled Pattern is immutable and thread-safe.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "protocol/core/result.h"

namespace edastack::filter {

enum class Dialect {
  kSnsAttributes,  // SNS FilterPolicyScope=MessageAttributes (default)
  kSnsBody,        // SNS FilterPolicyScope=MessageBody
  kEventBridge,    // EventBridge event patterns (wildcard, nested objects, ...)
};

class Pattern {
 public:
  // Validates and compiles. Errors: SNS → InvalidParameter ("Invalid parameter: FilterPolicy:
  // ..."), EventBridge → InvalidEventPatternException ("Event pattern is not valid. Reason: ...").
  static Result<Pattern> Compile(const nlohmann::json& pattern, Dialect dialect);
  static Result<Pattern> Parse(const std::string& pattern_text, Dialect dialect);

  // `doc` is the event (EventBridge envelope, SNS JSON body) or, for kSnsAttributes, an object
  // {name: value} built from the message attributes: String → JSON string, Number → JSON
  // number, String.Array → JSON array, Binary → {"$binary": true} (never matches a value).
  bool Matches(const nlohmann::json& doc) const;

  Pattern() = default;

  // The compiled tree; opaque outside emulator/filter (defined in pattern_node.h).
  struct Node;

 private:
  std::shared_ptr<const Node> root_;
  Dialect dialect_ = Dialect::kEventBridge;
};

}  // namespace edastack::filter
