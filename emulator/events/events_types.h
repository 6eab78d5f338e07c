// EventBridge domain types: typed requests and responses (no wire format here).
#pragma once

#include <cstdint>
#include <memory>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace edastack::events {

using OrderedJson = nlohmann::ordered_json;

inline constexpr const char* kDefaultBus = "default";
inline constexpr int kMaxTargetsPerRule = 5;
inline constexpr int kMaxPutEventsEntries = 10;
inline constexpr size_t kMaxPutEventsBytes = 256 * 1024;

struct EventBus {
  std::string name;
  std::string arn;
  std::string description;
  std::string policy;  // JSON text, may be empty
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
};

struct Tag {
  std::string key, value;
};

struct Rule {
  std::string name;
  std::string bus;
  std::string arn;
  std::string event_pattern;  // as given, may be empty
  std::string schedule;       // may be empty
  std::string state = "ENABLED";
  std::string description;
  std::string role_arn;
  std::string managed_by;
  std::string created_by;  // account
  int64_t created_ms = 0;
};

struct InputTransformer {
  std::vector<std::pair<std::string, std::string>> paths;  // name -> "$.path", in order
  bool has_paths = false;
  std::string input_template;
};

// A rule target as stored and listed. `extra` keeps the members we accept but do not act on
// (RetryPolicy, DeadLetterConfig, HttpParameters, ...) so ListTargetsByRule echoes them.
struct Target {
  std::string id;
  std::string arn;
  std::optional<std::string> role_arn;
  std::optional<std::string> input;
  std::optional<std::string> input_path;
  std::optional<InputTransformer> input_transformer;
  std::optional<std::string> sqs_message_group_id;
  std::optional<std::string> dead_letter_arn;
  OrderedJson extra = OrderedJson::object();
};

// ---- requests ----

struct CreateEventBusRequest {
  std::string name;
  std::optional<std::string> event_source_name;
  std::string description;
  std::vector<Tag> tags;
};

struct ListRequest {
  std::string name_prefix;
  std::string bus;  // name (ARN already resolved); for rules and targets
  int limit = 100;
  std::string next_token;
};

struct PutRuleRequest {
  std::string name;
  std::string bus = kDefaultBus;
  std::optional<std::string> event_pattern;
  std::optional<std::string> schedule;
  std::optional<std::string> state;
  std::string description;
  std::string role_arn;
  std::vector<Tag> tags;
};

struct PutTargetsRequest {
  std::string rule;
  std::string bus = kDefaultBus;
  std::vector<Target> targets;
};

struct FailedTarget {
  std::string target_id, error_code, error_message;
};

struct RemoveTargetsRequest {
  std::string rule;
  std::string bus = kDefaultBus;
  std::vector<std::string> ids;
};

struct PutEventsEntry {
  std::optional<std::string> source;
  std::optional<std::string> detail_type;
  std::optional<std::string> detail;
  std::string bus = kDefaultBus;
  std::vector<std::string> resources;
  std::optional<int64_t> time_ms;
};

struct PutEventsResultEntry {
  std::string event_id;  // empty when failed
  std::string error_code, error_message;
};

struct PutEventsResponse {
  int failed = 0;
  std::vector<PutEventsResultEntry> entries;
};

// One delivery to make after PutEvents answered.
struct Delivery {
  std::string target_arn;
  std::string payload;
  std::string region;
  std::string account;
  std::string host;  // Host of the original request (queue URLs)
  std::string event_id;
  std::string rule_arn;
  std::optional<std::string> message_group_id;
  std::optional<std::string> dead_letter_arn;
  // The outbox token of the PutEvents call this delivery belongs to; the row is marked
  // delivered when every delivery of the call has released it (see storage/outbox.h).
  std::shared_ptr<const void> done;
};

}  // namespace edastack::events
