// What an EventBridge target receives (PROTOCOLS.md §6.3): the envelope, a constant Input,
// the value at an InputPath, or an InputTransformer's template filled from the event.
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>

#include "emulator/events/events_types.h"
#include "protocol/core/result.h"

namespace edastack::events {

// JSON dot notation with array indices: "$", "$.detail", "$.detail.items[0].id",
// "$.detail-type". False for anything else.
bool IsValidJsonPath(const std::string& path);
// The value at `path`, or null when absent. `path` must be valid.
const OrderedJson* SelectPath(const OrderedJson& doc, const std::string& path);

// PutTargets-time checks: one of Input/InputPath/InputTransformer at most, Input is JSON,
// paths are valid, InputPathsMap names are valid and do not start with "AWS", every
// placeholder of the template is bound or predefined. Errors are ValidationException.
Status ValidateTargetInput(const Target& t);

// The envelope of one event, members in AWS's order.
OrderedJson BuildEnvelope(const std::string& id, const std::string& detail_type,
                          const std::string& source, const std::string& account, int64_t time_ms,
                          const std::string& region, const std::vector<std::string>& resources,
                          OrderedJson detail);

struct TransformContext {
  const OrderedJson& envelope;
  const std::string& envelope_text;  // envelope.dump(), computed once per event
  std::string rule_arn;
  std::string rule_name;
  int64_t ingestion_ms = 0;
};

// The text the target receives; nullopt when there is nothing to send (an InputPath that
// selects nothing).
std::optional<std::string> RenderTargetInput(const Target& t, const TransformContext& ctx);

// The InputTransformer substitution alone (exposed for tests).
std::string RenderTemplate(const InputTransformer& xf, const TransformContext& ctx);

}  // namespace edastack::events
