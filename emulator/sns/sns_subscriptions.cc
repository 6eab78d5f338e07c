// Subscription operations.
#include <set>

#include <nlohmann/json.hpp>

#include "emulator/sns/sns_errors.h"
#include "emulator/sns/sns_operations.h"
#include "protocol/core/ids.h"
#include "protocol/core/strings.h"

namespace edastack::sns {
namespace {

const std::set<std::string>& SettableSubscriptionAttributes() {
  static const std::set<std::string> k = {"DeliveryPolicy", "FilterPolicy", "FilterPolicyScope",
                                          "RawMessageDelivery", "RedrivePolicy",
                                          "SubscriptionRoleArn"};
  return k;
}

Status CheckSubscriptionArn(const std::string& arn) {
  auto a = ParseArn(arn);
  if (!a || a->service != "sns" || a->resource.find(':') == std::string::npos)
    return errors::InvalidParameter("Invalid parameter: SubscriptionArn");
  return OkStatus();
}

Status CheckTopic(const std::string& arn) {
  auto a = ParseArn(arn);
  if (!a || a->service != "sns" || a->resource.empty() ||
      a->resource.find(':') != std::string::npos)
    return errors::InvalidParameter("Invalid parameter: TopicArn");
  return OkStatus();
}

bool IsSqsArn(const std::string& arn) {
  auto a = ParseArn(arn);
  return a && a->service == "sqs" && !a->resource.empty() && !a->region.empty() &&
         !a->account.empty();
}

// Checks the attributes of a subscription as a whole (protocol-dependent rules, filter policy
// compiled with its scope).
Status ValidateSubscriptionAttributes(const std::string& protocol,
                                      const std::map<std::string, std::string>& attrs) {
  for (const auto& kv : attrs) EDA_TRY(ValidateSubscriptionAttribute(kv.first, kv.second));
  auto raw = attrs.find("RawMessageDelivery");
  if (raw != attrs.end() && str::IEquals(raw->second, "true") && protocol != "sqs" &&
      protocol != "http" && protocol != "https" && protocol != "firehose")
    return errors::InvalidParameter("Invalid parameter: Delivery protocol [" + protocol +
                                    "] does not support raw message delivery.");
  auto fp = attrs.find("FilterPolicy");
  if (fp != attrs.end() && !fp->second.empty()) {
    auto scope = attrs.find("FilterPolicyScope");
    auto compiled = FilterPolicy::Compile(
        fp->second, scope == attrs.end() ? "MessageAttributes" : scope->second);
    if (!compiled.ok()) return compiled.take_error();
  }
  return OkStatus();
}

std::string ListedArn(const Subscription& s) {
  return s.confirmed ? s.arn : "PendingConfirmation";
}

Result<int64_t> ParseToken(const std::string& token) {
  if (token.empty()) return int64_t{0};
  try {
    return static_cast<int64_t>(std::stoll(token));
  } catch (...) {
    return errors::InvalidParameter("Invalid parameter: NextToken");
  }
}

}  // namespace

Status ValidateSubscriptionAttribute(const std::string& name, const std::string& value) {
  if (!SettableSubscriptionAttributes().count(name))
    return errors::InvalidParameter("Invalid parameter: AttributeName");
  if (name == "RawMessageDelivery") {
    if (!str::IEquals(value, "true") && !str::IEquals(value, "false"))
      return errors::InvalidParameter("Invalid parameter: RawMessageDelivery");
  } else if (name == "FilterPolicyScope") {
    if (value != "MessageAttributes" && value != "MessageBody")
      return errors::InvalidParameter(
          "Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [" + value +
          "]. Please use either MessageBody or MessageAttributes");
  } else if (name == "RedrivePolicy") {
    if (value.empty()) return OkStatus();
    auto j = nlohmann::json::parse(value, nullptr, false);
    if (!j.is_object())
      return errors::InvalidParameter("Invalid parameter: RedrivePolicy: failed to parse JSON.");
    auto it = j.find("deadLetterTargetArn");
    if (it == j.end() || !it->is_string())
      return errors::InvalidParameter(
          "Invalid parameter: RedrivePolicy: deadLetterTargetArn is missing");
    if (!IsSqsArn(it->get<std::string>()))
      return errors::InvalidParameter(
          "Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn");
  } else if (name == "DeliveryPolicy") {
    if (value.empty()) return OkStatus();
    auto j = nlohmann::json::parse(value, nullptr, false);
    if (!j.is_object()) return errors::InvalidParameter("Invalid parameter: DeliveryPolicy");
  }
  return OkStatus();
}

ConfirmationRequest SnsBackend::PendingConfirmation(const RequestContext& ctx,
                                                    const Subscription& sub, Topic& topic) {
  ConfirmationRequest c;
  c.sub = sub;
  c.origin = ctx.Origin();
  c.now_ms = ctx.now_ms;
  c.signature_version = topic.attributes.count("SignatureVersion")
                            ? topic.attributes["SignatureVersion"]
                            : "1";
  c.topic_delivery_policy = topic.attributes["DeliveryPolicy"];
  // In the Subscribe transaction: the confirmation survives a crash before it is sent.
  if (outbox_) c.outbox_id = outbox_->Add("sns-confirm", EncodeConfirmation(c), ctx.now_ms);
  return c;
}

std::optional<ConfirmationRequest> SnsBackend::ReplayConfirmation(const std::string& payload) {
  auto c = DecodeConfirmation(payload);
  if (!c) return std::nullopt;
  auto lock = db_.Lock();
  auto sub = store_.GetSubscription(c->sub.arn);
  // Unsubscribed or confirmed since: nothing left to send.
  if (!sub || sub->confirmed) return std::nullopt;
  c->sub = *sub;
  return c;
}

Result<SubscribeResponse> SnsBackend::Subscribe(const RequestContext& ctx,
                                                const SubscribeRequest& req,
                                                std::optional<ConfirmationRequest>* confirm) {
  EDA_TRY(CheckTopic(req.topic_arn));
  const std::string& p = req.protocol;
  if (p == "sqs") {
    if (!IsSqsArn(req.endpoint)) return errors::InvalidParameter("Invalid parameter: SQS endpoint ARN");
  } else if (p == "http" || p == "https") {
    if (!str::StartsWith(str::ToLower(req.endpoint), p + "://"))
      return errors::InvalidParameter("Invalid parameter: Endpoint must match the specified protocol");
  } else if (p == "lambda") {
    auto a = ParseArn(req.endpoint);
    if (!a || a->service != "lambda")
      return errors::InvalidParameter("Invalid parameter: Lambda endpoint ARN");
  } else {
    return errors::InvalidParameter("Invalid parameter: Amazon SNS does not support this protocol string: " + p);
  }
  std::map<std::string, std::string> attrs = req.attributes;
  EDA_TRY(ValidateSubscriptionAttributes(p, attrs));
  if (attrs.count("RawMessageDelivery"))
    attrs["RawMessageDelivery"] = str::ToLower(attrs["RawMessageDelivery"]);

  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  auto topic = store_.GetTopic(req.topic_arn);
  if (!topic) return errors::TopicNotFound();
  if (topic->IsFifo() && p != "sqs")
    return errors::InvalidParameter(
        "Invalid parameter: Invalid protocol type: " + p + " Reason: FIFO topics only support SQS");
  if (!topic->IsFifo() && p == "sqs" && str::EndsWith(req.endpoint, ".fifo"))
    return errors::InvalidParameter(
        "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be "
        "subscribed to standard SNS topics");
  if (auto existing = store_.FindSubscription(req.topic_arn, p, req.endpoint)) {
    for (const auto& kv : attrs) {
      auto it = existing->attributes.find(kv.first);
      if (it == existing->attributes.end() || it->second != kv.second)
        return errors::InvalidParameter(
            "Invalid parameter: Attributes Reason: Subscription already exists with different "
            "attributes");
    }
    if (!existing->confirmed) *confirm = PendingConfirmation(ctx, *existing, *topic);
    tx.Commit();
    return SubscribeResponse{existing->confirmed || req.return_subscription_arn
                                 ? existing->arn
                                 : "pending confirmation"};
  }
  Subscription s;
  s.account = ctx.account;
  s.region = ctx.region;
  s.arn = req.topic_arn + ":" + ids::Uuid();
  s.topic_arn = req.topic_arn;
  s.protocol = p;
  s.endpoint = req.endpoint;
  s.confirmed = p == "sqs" || p == "lambda";
  s.token = ids::RandomHex(64);
  s.attributes = attrs;
  store_.InsertSubscription(s, ctx.now_ms);
  if (!s.confirmed) *confirm = PendingConfirmation(ctx, s, *topic);
  tx.Commit();
  Invalidate(req.topic_arn);
  return SubscribeResponse{s.confirmed || req.return_subscription_arn ? s.arn
                                                                      : "pending confirmation"};
}

Status SnsBackend::Unsubscribe(const RequestContext& ctx, const std::string& subscription_arn) {
  EDA_TRY(CheckSubscriptionArn(subscription_arn));
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  auto sub = store_.GetSubscription(subscription_arn);
  // Unsubscribe is idempotent: an unknown subscription is not an error.
  if (sub) store_.DeleteSubscription(*sub);
  tx.Commit();
  if (sub) Invalidate(sub->topic_arn);
  return OkStatus();
}

Result<std::string> SnsBackend::ConfirmSubscription(const RequestContext& ctx,
                                                    const std::string& topic_arn,
                                                    const std::string& token) {
  EDA_TRY(CheckTopic(topic_arn));
  if (token.empty()) return errors::InvalidParameter("Invalid parameter: Token");
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  if (!store_.GetTopic(topic_arn)) return errors::TopicNotFound();
  auto sub = store_.FindByToken(topic_arn, token);
  if (!sub) return errors::InvalidParameter("Invalid token");
  if (!sub->confirmed) {
    sub->confirmed = true;
    store_.UpdateSubscription(*sub);
  }
  tx.Commit();
  Invalidate(topic_arn);
  return sub->arn;
}

Result<SubscriptionPage> SnsBackend::ListSubscriptions(const RequestContext& ctx,
                                                       const std::string& next_token) {
  EDA_ASSIGN_OR_RETURN(int64_t after, ParseToken(next_token));
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  auto rows = store_.ListSubscriptions(ctx.account, ctx.region, "", after, 101);
  tx.Commit();
  SubscriptionPage page;
  for (size_t i = 0; i < rows.size() && i < 100; ++i) {
    page.items.push_back(rows[i].second);
    page.items.back().arn = ListedArn(rows[i].second);
  }
  if (rows.size() > 100) page.next_token = std::to_string(rows[99].first);
  return page;
}

Result<SubscriptionPage> SnsBackend::ListSubscriptionsByTopic(const RequestContext& ctx,
                                                              const std::string& topic_arn,
                                                              const std::string& next_token) {
  EDA_TRY(CheckTopic(topic_arn));
  EDA_ASSIGN_OR_RETURN(int64_t after, ParseToken(next_token));
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  if (!store_.GetTopic(topic_arn)) return errors::TopicNotFound();
  auto rows = store_.ListSubscriptions(ctx.account, ctx.region, topic_arn, after, 101);
  tx.Commit();
  SubscriptionPage page;
  for (size_t i = 0; i < rows.size() && i < 100; ++i) {
    page.items.push_back(rows[i].second);
    page.items.back().arn = ListedArn(rows[i].second);
  }
  if (rows.size() > 100) page.next_token = std::to_string(rows[99].first);
  return page;
}

Result<std::map<std::string, std::string>> SnsBackend::GetSubscriptionAttributes(
    const RequestContext& ctx, const std::string& subscription_arn) {
  EDA_TRY(CheckSubscriptionArn(subscription_arn));
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  auto sub = store_.GetSubscription(subscription_arn);
  if (!sub) return errors::SubscriptionNotFound();
  auto topic = store_.GetTopic(sub->topic_arn);
  tx.Commit();
  std::map<std::string, std::string> out = sub->attributes;
  out["SubscriptionArn"] = sub->arn;
  out["TopicArn"] = sub->topic_arn;
  out["Protocol"] = sub->protocol;
  out["Endpoint"] = sub->endpoint;
  out["Owner"] = sub->account;
  out["SubscriptionPrincipal"] = "arn:aws:iam::" + sub->account + ":root";
  out["PendingConfirmation"] = sub->confirmed ? "false" : "true";
  out["ConfirmationWasAuthenticated"] = sub->confirmed ? "true" : "false";
  if (!out.count("RawMessageDelivery")) out["RawMessageDelivery"] = "false";
  if (out.count("FilterPolicy") && !out.count("FilterPolicyScope"))
    out["FilterPolicyScope"] = "MessageAttributes";
  if (sub->protocol == "http" || sub->protocol == "https") {
    std::string policy;
    if (topic && topic->attributes.count("DeliveryPolicy"))
      policy = topic->attributes.at("DeliveryPolicy");
    if (out.count("DeliveryPolicy")) policy = out["DeliveryPolicy"];
    if (!policy.empty()) out["EffectiveDeliveryPolicy"] = policy;
  }
  return out;
}

Status SnsBackend::SetSubscriptionAttributes(const RequestContext& ctx,
                                             const std::string& subscription_arn,
                                             const std::string& name, const std::string& value) {
  EDA_TRY(CheckSubscriptionArn(subscription_arn));
  EDA_TRY(ValidateSubscriptionAttribute(name, value));
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  auto sub = store_.GetSubscription(subscription_arn);
  if (!sub) return errors::SubscriptionNotFound();
  std::map<std::string, std::string> attrs = sub->attributes;
  if (value.empty() && name != "RawMessageDelivery") attrs.erase(name);
  else attrs[name] = name == "RawMessageDelivery" ? str::ToLower(value) : value;
  EDA_TRY(ValidateSubscriptionAttributes(sub->protocol, attrs));
  sub->attributes = attrs;
  store_.UpdateSubscription(*sub);
  tx.Commit();
  Invalidate(sub->topic_arn);
  return OkStatus();
}

}  // namespace edastack::sns
