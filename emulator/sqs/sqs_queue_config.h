// Queue attributes: validation of CreateQueue/SetQueueAttributes input against AWS's names and
// ranges, and the parsed configuration operations use. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "emulator/sqs/sqs_types.h"
#include "protocol/core/result.h"

namespace edastack::sqs {

constexpr int64_t kMaxMessageSize = 1048576;  // 1 MiB, the default and the maximum (2025)
constexpr int64_t kMaxVisibilityTimeout = 43200;
constexpr int64_t kDedupWindowMs = 5 * 60 * 1000;

// A queue as the operations see it. `attrs` holds the settable attributes explicitly set
// (normalized), the rest are defaults.
struct Queue {
  int64_t id = 0;
  std::string account, region, name;
  StringMap attrs;
  StringMap tags;
  int64_t created_s = 0, modified_s = 0;
  int64_t purged_ms = 0;

  // Parsed from attrs.
  bool fifo = false;
  int64_t visibility_timeout = 30;
  int64_t delay_seconds = 0;
  int64_t max_message_size = kMaxMessageSize;
  int64_t retention_seconds = 345600;
  int64_t wait_seconds = 0;
  bool content_dedup = false;
  bool dedup_per_group = false;
  std::string dlq_arn;            // from RedrivePolicy, empty when none
  int64_t max_receive_count = 0;

  std::string Arn() const { return "arn:aws:sqs:" + region + ":" + account + ":" + name; }
};

// Fills the parsed members of `q` from q.attrs (assumed valid).
void ApplyAttributes(Queue* q);

// Validates `in` for a queue named `name` (fifo: the queue is FIFO) and merges the normalized
// values into *attrs. `creating` allows FifoQueue. An empty RedrivePolicy/RedriveAllowPolicy/
// Policy value removes it. `queue_exists(arn)` answers whether a DLQ target exists and is FIFO.
struct DlqInfo {
  bool exists = false;
  bool fifo = false;
  bool allows_source = true;  // the target's RedriveAllowPolicy admits this source queue
};
// The DlqInfo of `target` as the dead-letter queue of the queue `source_arn`.
DlqInfo DescribeDlq(const Queue* target, const std::string& source_arn);
Status MergeAttributes(const StringMap& in, bool fifo, bool creating,
                       const std::function<DlqInfo(const std::string& arn)>& queue_lookup,
                       StringMap* attrs);

// The effective value of a settable attribute (explicit or default), "" when not applicable.
std::string EffectiveAttribute(const Queue& q, const std::string& name);

// Queue names: 1-80 of [A-Za-z0-9_-], FIFO ones ending in ".fifo".
bool IsValidQueueName(const std::string& name, bool fifo);

// Splits an SQS ARN arn:aws:sqs:<region>:<account>:<name>; false when malformed.
bool ParseQueueArn(const std::string& arn, std::string* region, std::string* account,
                   std::string* name);

// Is `name` one of GetQueueAttributes' names (including "All")?
bool IsKnownAttributeName(const std::string& name);

}  // namespace edastack::sqs
