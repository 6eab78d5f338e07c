#include "emulator/sqs/sqs_queue_config.h"

#include <nlohmann/json.hpp>

#include "emulator/sqs/sqs_errors.h"
#include "protocol/core/strings.h"

namespace edastack::sqs {
namespace {

struct Range {
  const char* name;
  int64_t min, max, dflt;
};
const Range kRanges[] = {
    {"VisibilityTimeout", 0, kMaxVisibilityTimeout, 30},
    {"DelaySeconds", 0, 900, 0},
    {"MaximumMessageSize", 1024, kMaxMessageSize, kMaxMessageSize},
    {"MessageRetentionPeriod", 60, 1209600, 345600},
    {"ReceiveMessageWaitTimeSeconds", 0, 20, 0},
    {"KmsDataKeyReusePeriodSeconds", 60, 86400, 300},
};

const char* const kReadOnly[] = {"ApproximateNumberOfMessages",
                                 "ApproximateNumberOfMessagesNotVisible",
                                 "ApproximateNumberOfMessagesDelayed",
                                 "CreatedTimestamp",
                                 "LastModifiedTimestamp",
                                 "QueueArn"};

bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

int64_t IntAttr(const StringMap& m, const char* name, int64_t dflt) {
  auto it = m.find(name);
  int64_t v;
  return it != m.end() && ParseInt(it->second, &v) ? v : dflt;
}

AwsError BadValue(const std::string& name, const std::string& reason = "") {
  return err::InvalidAttributeValue("Invalid value for the parameter " + name + "." +
                                    (reason.empty() ? "" : " Reason: " + reason));
}

Result<std::string> NormalizeRedrivePolicy(
    const std::string& value, bool fifo,
    const std::function<DlqInfo(const std::string&)>& lookup) {
  auto j = nlohmann::json::parse(value, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return BadValue("RedrivePolicy", "Redrive policy is not a valid JSON map.");
  auto arn = j.find("deadLetterTargetArn");
  auto count = j.find("maxReceiveCount");
  if (arn == j.end() || !arn->is_string() || count == j.end())
    return BadValue("RedrivePolicy",
                    "Redrive policy does not contain mandatory attribute: " +
                        std::string(arn == j.end() || !arn->is_string() ? "deadLetterTargetArn"
                                                                        : "maxReceiveCount") +
                        ".");
  int64_t n = -1;
  if (count->is_number_integer()) n = count->get<int64_t>();
  else if (count->is_string() && !ParseInt(count->get<std::string>(), &n)) n = -1;
  if (n < 1 || n > 1000)
    return BadValue("RedrivePolicy",
                    "Invalid value for maxReceiveCount: " + count->dump() +
                        ", valid values are from 1 to 1000 both inclusive.");
  std::string region, account, name;
  std::string target = arn->get<std::string>();
  if (!ParseQueueArn(target, &region, &account, &name))
    return BadValue("RedrivePolicy", "Invalid value for deadLetterTargetArn.");
  DlqInfo info = lookup(target);
  if (!info.exists)
    return BadValue("RedrivePolicy", "Dead-letter target does not exist.");
  if (!info.allows_source)
    return BadValue("RedrivePolicy",
                    "The dead-letter target's RedriveAllowPolicy does not allow this queue.");
  if (info.fifo != fifo)
    return BadValue("RedrivePolicy", fifo ? "Dead-letter target must be a FIFO queue."
                                          : "Dead-letter target must be a standard queue.");
  nlohmann::json out = {{"deadLetterTargetArn", target}, {"maxReceiveCount", n}};
  return out.dump();
}

Result<std::string> NormalizeRedriveAllowPolicy(const std::string& value) {
  auto j = nlohmann::json::parse(value, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("redrivePermission") ||
      !j["redrivePermission"].is_string())
    return BadValue("RedriveAllowPolicy", "Redrive allow policy is not a valid JSON map.");
  std::string perm = j["redrivePermission"];
  if (perm != "allowAll" && perm != "denyAll" && perm != "byQueue")
    return BadValue("RedriveAllowPolicy", "Invalid value for redrivePermission.");
  auto arns = j.find("sourceQueueArns");
  if (perm == "byQueue") {
    if (arns == j.end() || !arns->is_array() || arns->empty() || arns->size() > 10)
      return BadValue("RedriveAllowPolicy",
                      "sourceQueueArns must contain 1 to 10 ARNs when redrivePermission is "
                      "byQueue.");
  } else if (arns != j.end()) {
    return BadValue("RedriveAllowPolicy",
                    "sourceQueueArns is only allowed when redrivePermission is byQueue.");
  }
  return j.dump();
}

Result<std::string> NormalizeBool(const std::string& name, const std::string& v) {
  if (str::IEquals(v, "true")) return std::string("true");
  if (str::IEquals(v, "false")) return std::string("false");
  return BadValue(name);
}

}  // namespace

DlqInfo DescribeDlq(const Queue* target, const std::string& source_arn) {
  DlqInfo info;
  if (!target) return info;
  info.exists = true;
  info.fifo = target->fifo;
  auto it = target->attrs.find("RedriveAllowPolicy");
  if (it != target->attrs.end()) {
    auto j = nlohmann::json::parse(it->second, nullptr, false);
    std::string perm = j.is_object() ? j.value("redrivePermission", "allowAll") : "allowAll";
    if (perm == "denyAll") info.allows_source = false;
    if (perm == "byQueue") {
      info.allows_source = false;
      auto arns = j.find("sourceQueueArns");
      if (arns != j.end() && arns->is_array())
        for (const auto& a : *arns) info.allows_source = info.allows_source || a == source_arn;
    }
  }
  return info;
}

bool IsKnownAttributeName(const std::string& name) {
  static const char* const kAll[] = {
      "All", "Policy", "VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod",
      "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
      "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn",
      "ApproximateNumberOfMessagesDelayed", "DelaySeconds", "ReceiveMessageWaitTimeSeconds",
      "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication", "KmsMasterKeyId",
      "KmsDataKeyReusePeriodSeconds", "DeduplicationScope", "FifoThroughputLimit",
      "RedriveAllowPolicy", "SqsManagedSseEnabled"};
  for (const char* n : kAll)
    if (name == n) return true;
  return false;
}

void ApplyAttributes(Queue* q) {
  const StringMap& a = q->attrs;
  auto fifo = a.find("FifoQueue");
  q->fifo = fifo != a.end() && fifo->second == "true";
  q->visibility_timeout = IntAttr(a, "VisibilityTimeout", 30);
  q->delay_seconds = IntAttr(a, "DelaySeconds", 0);
  q->max_message_size = IntAttr(a, "MaximumMessageSize", kMaxMessageSize);
  q->retention_seconds = IntAttr(a, "MessageRetentionPeriod", 345600);
  q->wait_seconds = IntAttr(a, "ReceiveMessageWaitTimeSeconds", 0);
  auto cbd = a.find("ContentBasedDeduplication");
  q->content_dedup = cbd != a.end() && cbd->second == "true";
  auto scope = a.find("DeduplicationScope");
  q->dedup_per_group = scope != a.end() && scope->second == "messageGroup";
  q->dlq_arn.clear();
  q->max_receive_count = 0;
  auto rp = a.find("RedrivePolicy");
  if (rp != a.end()) {
    auto j = nlohmann::json::parse(rp->second, nullptr, false);
    if (j.is_object()) {
      q->dlq_arn = j.value("deadLetterTargetArn", "");
      q->max_receive_count = j.value("maxReceiveCount", int64_t{0});
    }
  }
}

Status MergeAttributes(const StringMap& in, bool fifo, bool creating,
                       const std::function<DlqInfo(const std::string&)>& lookup,
                       StringMap* attrs) {
  StringMap out = *attrs;
  for (const auto& kv : in) {
    const std::string& name = kv.first;
    const std::string& value = kv.second;
    bool done = false;
    for (const Range& r : kRanges) {
      if (name != r.name) continue;
      int64_t v;
      if (!ParseInt(value, &v) || v < r.min || v > r.max)
        return BadValue(name, "Must be an integer from " + std::to_string(r.min) + " to " +
                                  std::to_string(r.max) + ".");
      out[name] = std::to_string(v);
      done = true;
    }
    if (done) continue;
    for (const char* ro : kReadOnly)
      if (name == ro) return err::InvalidAttributeName(name);
    if (name == "FifoQueue") {
      EDA_ASSIGN_OR_RETURN(std::string b, NormalizeBool(name, value));
      if (!creating) {
        if ((b == "true") != fifo)
          return err::InvalidAttributeValue("Invalid value for the parameter FifoQueue. Reason: "
                                            "Modifying queue type is not supported.");
        continue;
      }
      if ((b == "true") != fifo) return BadValue(name);
      if (fifo) out[name] = "true";
    } else if (name == "ContentBasedDeduplication" || name == "DeduplicationScope" ||
               name == "FifoThroughputLimit") {
      if (!fifo) return err::InvalidAttributeName(name);
      if (name == "ContentBasedDeduplication") {
        EDA_ASSIGN_OR_RETURN(out[name], NormalizeBool(name, value));
      } else if (name == "DeduplicationScope") {
        if (value != "queue" && value != "messageGroup") return BadValue(name);
        out[name] = value;
      } else {
        if (value != "perQueue" && value != "perMessageGroupId") return BadValue(name);
        out[name] = value;
      }
    } else if (name == "SqsManagedSseEnabled") {
      EDA_ASSIGN_OR_RETURN(out[name], NormalizeBool(name, value));
    } else if (name == "RedrivePolicy") {
      if (value.empty()) {
        out.erase(name);
        continue;
      }
      EDA_ASSIGN_OR_RETURN(out[name], NormalizeRedrivePolicy(value, fifo, lookup));
    } else if (name == "RedriveAllowPolicy") {
      if (value.empty()) {
        out.erase(name);
        continue;
      }
      EDA_ASSIGN_OR_RETURN(out[name], NormalizeRedriveAllowPolicy(value));
    } else if (name == "Policy") {
      if (value.empty()) {
        out.erase(name);
        continue;
      }
      auto j = nlohmann::json::parse(value, nullptr, false);
      if (j.is_discarded() || !j.is_object()) return BadValue(name, "Policy is not valid JSON.");
      out[name] = value;
    } else if (name == "KmsMasterKeyId") {
      if (value.empty()) out.erase(name);
      else out[name] = value;
    } else {
      return err::InvalidAttributeName(name);
    }
  }
  if (fifo) {
    out["FifoQueue"] = "true";
    auto scope = out.find("DeduplicationScope");
    auto limit = out.find("FifoThroughputLimit");
    if (limit != out.end() && limit->second == "perMessageGroupId" &&
        (scope == out.end() || scope->second != "messageGroup"))
      return BadValue("FifoThroughputLimit",
                      "perMessageGroupId is only valid with DeduplicationScope messageGroup.");
  }
  *attrs = std::move(out);
  return OkStatus();
}

std::string EffectiveAttribute(const Queue& q, const std::string& name) {
  auto it = q.attrs.find(name);
  if (it != q.attrs.end()) return it->second;
  for (const Range& r : kRanges)
    if (name == r.name)
      return name == std::string("KmsDataKeyReusePeriodSeconds") &&
                     !q.attrs.count("KmsMasterKeyId")
                 ? ""
                 : std::to_string(r.dflt);
  if (name == "SqsManagedSseEnabled") return q.attrs.count("KmsMasterKeyId") ? "false" : "true";
  if (q.fifo) {
    if (name == "FifoQueue") return "true";
    if (name == "ContentBasedDeduplication") return "false";
    if (name == "DeduplicationScope") return "queue";
    if (name == "FifoThroughputLimit") return "perQueue";
  }
  return "";
}

bool IsValidQueueName(const std::string& name, bool fifo) {
  std::string base = name;
  if (fifo) {
    if (!str::EndsWith(name, ".fifo")) return false;
    base = name.substr(0, name.size() - 5);
  }
  if (base.empty() || name.size() > 80) return false;
  for (char c : base)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '_' || c == '-'))
      return false;
  return true;
}

bool ParseQueueArn(const std::string& arn, std::string* region, std::string* account,
                   std::string* name) {
  auto parts = str::Split(arn, ':');
  if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "sqs" || parts[3].empty() ||
      parts[4].empty() || parts[5].empty())
    return false;
  *region = parts[3];
  *account = parts[4];
  *name = parts[5];
  return true;
}

}  // namespace edastack::sqs
