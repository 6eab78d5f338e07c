#include "emulator/sns/sns_service.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "emulator/server/emulator.h"
#include "emulator/sns/sns_errors.h"
#include "emulator/sns/sns_wire_query.h"
#include "protocol/core/log.h"
#include "protocol/core/strings.h"
#include "protocol/errors/render.h"

namespace edastack::sns {
namespace {

using Writer = std::function<void(xml::Writer&)>;

struct Call {
  const RequestContext& ctx;
  const query::Params& p;
  SnsBackend& backend;
  Delivery& delivery;
};

// An operation's outcome: the XML body or an error.
using OpResult = Result<std::string>;
using Handler = std::function<OpResult(Call&, const std::string& op)>;

OpResult Xml(const Call& c, const std::string& op, const Writer& body, bool with_result = true) {
  return wire::Envelope(op, c.ctx.request_id, body, with_result);
}

void WriteSubscriptions(xml::Writer& w, const SubscriptionPage& page) {
  w.Open("Subscriptions");
  for (const auto& s : page.items)
    w.Open("member")
        .Element("SubscriptionArn", s.arn)
        .Element("Owner", s.account)
        .Element("Protocol", s.protocol)
        .Element("Endpoint", s.endpoint)
        .Element("TopicArn", s.topic_arn)
        .Close();
  w.Close();
  if (!page.next_token.empty()) w.Element("NextToken", page.next_token);
}

void Deliver(Call& c, std::vector<Fanout>& fanout) {
  for (auto& f : fanout) c.delivery.Dispatch(std::move(f));
}

const std::unordered_map<std::string, Handler>& Handlers() {
  static const std::unordered_map<std::string, Handler> k = {
      {"CreateTopic",
       [](Call& c, const std::string& op) -> OpResult {
         CreateTopicRequest req{c.p.Get("Name"), wire::DecodeAttributes(c.p),
                                wire::DecodeTags(c.p)};
         EDA_ASSIGN_OR_RETURN(std::string arn, c.backend.CreateTopic(c.ctx, req));
         return Xml(c, op, [&](xml::Writer& w) { w.Element("TopicArn", arn); });
       }},
      {"DeleteTopic",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_TRY(c.backend.DeleteTopic(c.ctx, c.p.Get("TopicArn")));
         return Xml(c, op, nullptr, false);
       }},
      {"ListTopics",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_ASSIGN_OR_RETURN(Page page, c.backend.ListTopics(c.ctx, c.p.Get("NextToken")));
         return Xml(c, op, [&](xml::Writer& w) {
           w.Open("Topics");
           for (const auto& arn : page.items) w.Open("member").Element("TopicArn", arn).Close();
           w.Close();
           if (!page.next_token.empty()) w.Element("NextToken", page.next_token);
         });
       }},
      {"GetTopicAttributes",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_ASSIGN_OR_RETURN(auto attrs, c.backend.GetTopicAttributes(c.ctx, c.p.Get("TopicArn")));
         return Xml(c, op, [&](xml::Writer& w) { wire::WriteAttributes(w, attrs); });
       }},
      {"SetTopicAttributes",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_TRY(c.backend.SetTopicAttributes(c.ctx, c.p.Get("TopicArn"), c.p.Get("AttributeName"),
                                              c.p.Get("AttributeValue")));
         return Xml(c, op, nullptr, false);
       }},
      {"Subscribe",
       [](Call& c, const std::string& op) -> OpResult {
         SubscribeRequest req{c.p.Get("TopicArn"), c.p.Get("Protocol"), c.p.Get("Endpoint"),
                              wire::DecodeAttributes(c.p),
                              str::IEquals(c.p.Get("ReturnSubscriptionArn"), "true")};
         std::optional<ConfirmationRequest> confirm;
         EDA_ASSIGN_OR_RETURN(SubscribeResponse res, c.backend.Subscribe(c.ctx, req, &confirm));
         if (confirm) c.delivery.SendConfirmation(std::move(*confirm));
         return Xml(c, op, [&](xml::Writer& w) { w.Element("SubscriptionArn", res.subscription_arn); });
       }},
      {"Unsubscribe",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_TRY(c.backend.Unsubscribe(c.ctx, c.p.Get("SubscriptionArn")));
         return Xml(c, op, nullptr, false);
       }},
      {"ConfirmSubscription",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_ASSIGN_OR_RETURN(std::string arn, c.backend.ConfirmSubscription(
                                                   c.ctx, c.p.Get("TopicArn"), c.p.Get("Token")));
         return Xml(c, op, [&](xml::Writer& w) { w.Element("SubscriptionArn", arn); });
       }},
      {"ListSubscriptions",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_ASSIGN_OR_RETURN(auto page, c.backend.ListSubscriptions(c.ctx, c.p.Get("NextToken")));
         return Xml(c, op, [&](xml::Writer& w) { WriteSubscriptions(w, page); });
       }},
      {"ListSubscriptionsByTopic",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_ASSIGN_OR_RETURN(auto page, c.backend.ListSubscriptionsByTopic(
                                             c.ctx, c.p.Get("TopicArn"), c.p.Get("NextToken")));
         return Xml(c, op, [&](xml::Writer& w) { WriteSubscriptions(w, page); });
       }},
      {"GetSubscriptionAttributes",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_ASSIGN_OR_RETURN(auto attrs, c.backend.GetSubscriptionAttributes(
                                              c.ctx, c.p.Get("SubscriptionArn")));
         return Xml(c, op, [&](xml::Writer& w) { wire::WriteAttributes(w, attrs); });
       }},
      {"SetSubscriptionAttributes",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_TRY(c.backend.SetSubscriptionAttributes(c.ctx, c.p.Get("SubscriptionArn"),
                                                     c.p.Get("AttributeName"),
                                                     c.p.Get("AttributeValue")));
         return Xml(c, op, nullptr, false);
       }},
      {"Publish",
       [](Call& c, const std::string& op) -> OpResult {
         PublishRequest req;
         req.topic_arn = c.p.Get("TopicArn", c.p.Get("TargetArn"));
         if (c.p.Has("PhoneNumber") && req.topic_arn.empty())
           return errors::InvalidParameter(
               "Invalid parameter: PhoneNumber Reason: SMS delivery is not supported by edastack");
         EDA_ASSIGN_OR_RETURN(req.entry, wire::DecodePublishEntry(c.p));
         std::vector<Fanout> fanout;
         EDA_ASSIGN_OR_RETURN(PublishResponse res, c.backend.Publish(c.ctx, req, &fanout));
         Deliver(c, fanout);
         return Xml(c, op, [&](xml::Writer& w) {
           w.Element("MessageId", res.message_id);
           if (!res.sequence_number.empty()) w.Element("SequenceNumber", res.sequence_number);
         });
       }},
      {"PublishBatch",
       [](Call& c, const std::string& op) -> OpResult {
         PublishBatchRequest req;
         req.topic_arn = c.p.Get("TopicArn");
         std::vector<AwsError> decode_errors;
         for (const auto& s : c.p.Structs("PublishBatchRequestEntries.member")) {
           auto e = wire::DecodePublishEntry(s);
           if (!e.ok()) return e.take_error();
           req.entries.push_back(std::move(e).value());
         }
         std::vector<Fanout> fanout;
         EDA_ASSIGN_OR_RETURN(PublishBatchResponse res,
                              c.backend.PublishBatch(c.ctx, req, &fanout));
         Deliver(c, fanout);
         return Xml(c, op, [&](xml::Writer& w) {
           w.Open("Successful");
           for (const auto& s : res.successful) {
             w.Open("member").Element("Id", s.id).Element("MessageId", s.message_id);
             if (!s.sequence_number.empty()) w.Element("SequenceNumber", s.sequence_number);
             w.Close();
           }
           w.Close().Open("Failed");
           for (const auto& f : res.failed)
             w.Open("member")
                 .Element("Id", f.id)
                 .Element("Code", f.code)
                 .Element("Message", f.message)
                 .Element("SenderFault", f.sender_fault ? "true" : "false")
                 .Close();
           w.Close();
         });
       }},
      {"TagResource",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_TRY(c.backend.TagResource(c.ctx, c.p.Get("ResourceArn"), wire::DecodeTags(c.p)));
         return Xml(c, op, nullptr);
       }},
      {"UntagResource",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_TRY(c.backend.UntagResource(c.ctx, c.p.Get("ResourceArn"),
                                         c.p.List("TagKeys", true)));
         return Xml(c, op, nullptr);
       }},
      {"ListTagsForResource",
       [](Call& c, const std::string& op) -> OpResult {
         EDA_ASSIGN_OR_RETURN(Tags tags, c.backend.ListTagsForResource(c.ctx, c.p.Get("ResourceArn")));
         return Xml(c, op, [&](xml::Writer& w) {
           w.Open("Tags");
           for (const auto& t : tags)
             w.Open("member").Element("Key", t.first).Element("Value", t.second).Close();
           w.Close();
         });
       }},
  };
  return k;
}

}  // namespace

SnsService::SnsService(Emulator& emu)
    : emu_(emu), backend_(emu.db(), &emu.outbox()), delivery_(emu, signer_) {}

SnsService::~SnsService() { delivery_.Shutdown(); }

void SnsService::OnReset() {
  backend_.ClearCache();
  delivery_.Clear();
}

void SnsService::Start() {
  if (emu_.options().hold_deliveries) return;
  size_t n = 0;
  for (auto& row : emu_.outbox().Pending("sns")) {
    auto f = DecodeFanout(row.payload);
    if (!f) {
      log::Error("sns: unreadable outbox row " + std::to_string(row.id) + " dropped");
      emu_.outbox().Done(row.id);
      continue;
    }
    f->outbox_id = row.id;
    f->subscribers = backend_.SubscribersOf(f->message.topic_arn);
    // A row waiting for a retry round keeps its due time; no subscribers left: marked done.
    int64_t wait_ms = std::max<int64_t>(0, row.due_ms - emu_.clock().NowMillis());
    delivery_.Dispatch(std::move(*f), wait_ms);
    ++n;
  }
  if (n) log::Info("sns: replaying " + std::to_string(n) + " pending fan-outs");
  size_t confirms = 0;
  for (auto& row : emu_.outbox().Pending("sns-confirm")) {
    auto c = backend_.ReplayConfirmation(row.payload);
    if (!c) {
      emu_.outbox().Done(row.id);
      continue;
    }
    c->outbox_id = row.id;
    delivery_.SendConfirmation(std::move(*c),
                               std::max<int64_t>(0, row.due_ms - emu_.clock().NowMillis()));
    ++confirms;
  }
  if (confirms)
    log::Info("sns: replaying " + std::to_string(confirms) + " pending subscription confirmations");
}

void SnsService::Shutdown() { delivery_.Shutdown(); }

http::Response SnsService::Handle(const RequestContext& ctx, const http::Route& route,
                                  http::Request& req) {
  http::Response res;
  if (str::StartsWith(req.target, "/_edastack/sns/")) {
    if (req.target == "/_edastack/sns/SimpleNotificationService.pem") {
      res.body = signer_.CertificatePem();
      res.SetHeader("Content-Type", "application/x-pem-file");
    } else {
      res.status = 404;
      res.body = R"({"error":"not found"})";
      res.SetHeader("Content-Type", "application/json");
    }
    return res;
  }
  std::vector<std::pair<std::string, std::string>> pairs = req.query;
  for (auto& kv : str::ParseForm(req.body)) pairs.push_back(std::move(kv));
  query::Params params(pairs);
  std::string action = params.Get("Action");
  auto it = Handlers().find(action);
  if (it == Handlers().end()) {
    AwsError e = action.empty() ? MakeError("MissingAction", "Missing Action")
                                : errors::InvalidAction(action);
    return edastack::errors::RenderQuery(e, wire::kXmlns, ctx.request_id);
  }
  Call call{ctx, params, backend_, delivery_};
  OpResult r = it->second(call, action);
  if (!r.ok()) return edastack::errors::RenderQuery(r.error(), wire::kXmlns, ctx.request_id);
  res.body = std::move(r).value();
  res.SetHeader("Content-Type", "text/xml");
  return res;
}

}  // namespace edastack::sns
