// AddPermission / RemovePermission: each label is one statement (Sid) of the queue's Policy
// attribute, in the shape AWS writes it (Principal AWS account roots, Action "SQS:<name>",
// Resource the queue ARN). The Policy is removed when its last statement goes.
#include <nlohmann/json.hpp>

#include "emulator/sqs/sqs_backend.h"
#include "emulator/sqs/sqs_errors.h"

namespace edastack::sqs {
namespace {

using nlohmann::json;

constexpr size_t kMaxLabel = 80;
constexpr size_t kMaxStatements = 7;  // AWS: at most 7 permissions (statements) per AddPermission queue policy

bool ValidLabel(const std::string& s) {
  if (s.empty() || s.size() > kMaxLabel) return false;
  for (char c : s)
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

bool ValidAction(const std::string& a) {
  static const char* kActions[] = {"*",
                                   "SendMessage",
                                   "ReceiveMessage",
                                   "DeleteMessage",
                                   "ChangeMessageVisibility",
                                   "GetQueueAttributes",
                                   "GetQueueUrl",
                                   "ListDeadLetterSourceQueues",
                                   "PurgeQueue",
                                   "ListQueueTags",
                                   "StartMessageMoveTask",
                                   "CancelMessageMoveTask",
                                   "ListMessageMoveTasks"};
  for (const char* k : kActions)
    if (a == k) return true;
  return false;
}

AwsError BadLabel(const std::string& label, const std::string& reason) {
  return err::InvalidParameterValue("Value " + label + " for parameter Label is invalid. Reason: " +
                                    reason);
}

json OneOrMany(const std::vector<std::string>& v) {
  if (v.size() == 1) return v[0];
  return json(v);
}

json PolicyOf(const Queue& q) {
  auto it = q.attrs.find("Policy");
  json p = it == q.attrs.end() ? json() : json::parse(it->second, nullptr, false);
  if (!p.is_object()) p = {{"Version", "2012-10-17"}, {"Id", q.Arn() + "/SQSDefaultPolicy"}};
  if (!p.contains("Statement") || !p["Statement"].is_array()) {
    json s = p.contains("Statement") ? p["Statement"] : json();
    p["Statement"] = s.is_object() ? json::array({s}) : json::array();
  }
  return p;
}

}  // namespace

Result<Empty> SqsBackend::AddPermission(const RequestContext& ctx, const AddPermissionRequest& req) {
  if (req.label.empty()) return err::MissingParameter("Label");
  if (req.account_ids.empty()) return err::MissingParameter("AWSAccountIds");
  if (req.actions.empty()) return err::MissingParameter("Actions");
  if (!ValidLabel(req.label))
    return BadLabel(req.label, "Label must be 1 to 80 alphanumeric characters, hyphens or underscores.");
  for (const auto& a : req.actions)
    if (!ValidAction(a))
      return err::InvalidParameterValue("Value SQS:" + a +
                                        " for parameter ActionName is invalid. Reason: Only the "
                                        "queue owner is allowed to invoke this action.");
  for (const auto& id : req.account_ids)
    if (id.size() != 12 || id.find_first_not_of("0123456789") != std::string::npos)
      return err::InvalidParameterValue("Value [" + id +
                                        "] for parameter PrincipalId is invalid. Reason: Unable "
                                        "to verify.");
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
  json policy = PolicyOf(*q);
  for (const auto& s : policy["Statement"])
    if (s.is_object() && s.value("Sid", "") == req.label)
      return BadLabel(req.label, "Already exists.");
  if (policy["Statement"].size() >= kMaxStatements)
    return err::OverLimit(std::to_string(kMaxStatements) + " Statements were found, the maximum is " +
                          std::to_string(kMaxStatements) + ".");
  std::vector<std::string> principals, actions;
  for (const auto& id : req.account_ids) principals.push_back("arn:aws:iam::" + id + ":root");
  for (const auto& a : req.actions) actions.push_back("SQS:" + a);
  policy["Statement"].push_back({{"Sid", req.label},
                                 {"Effect", "Allow"},
                                 {"Principal", {{"AWS", OneOrMany(principals)}}},
                                 {"Action", OneOrMany(actions)},
                                 {"Resource", q->Arn()}});
  StringMap attrs = q->attrs;
  attrs["Policy"] = policy.dump();
  storage::Transaction tx(db_);
  store_.UpdateQueueAttributes(q->id, attrs, ctx.now_ms / 1000);
  tx.Commit();
  Invalidate(*q);
  return Empty{};
}

Result<Empty> SqsBackend::RemovePermission(const RequestContext& ctx,
                                           const RemovePermissionRequest& req) {
  if (req.label.empty()) return err::MissingParameter("Label");
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
  json policy = PolicyOf(*q);
  json kept = json::array();
  bool found = false;
  for (const auto& s : policy["Statement"]) {
    if (s.is_object() && s.value("Sid", "") == req.label) found = true;
    else kept.push_back(s);
  }
  if (!found) return BadLabel(req.label, "can't find label on existing policy.");
  StringMap attrs = q->attrs;
  if (kept.empty()) {
    attrs.erase("Policy");
  } else {
    policy["Statement"] = std::move(kept);
    attrs["Policy"] = policy.dump();
  }
  storage::Transaction tx(db_);
  store_.UpdateQueueAttributes(q->id, attrs, ctx.now_ms / 1000);
  tx.Commit();
  Invalidate(*q);
  return Empty{};
}

}  // namespace edastack::sqs
