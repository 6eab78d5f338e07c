// A rule target <-> its JSON form (the PutTargets member shape, which is also how targets are
// stored and what ListTargetsByRule returns). Pure functions.
#pragma once

#include <string>

#include "emulator/events/events_types.h"
#include "protocol/core/result.h"

namespace edastack::events {

// `index` (1-based) names the member in validation messages ("targets.<n>.member.id").
Result<Target> TargetFromJson(const OrderedJson& j, size_t index);
OrderedJson TargetToJson(const Target& t);

}  // namespace edastack::events
