// JSON 1.1 wire glue for EventBridge: body → typed request → operation → JSON answer.
#include <cmath>

#include "emulator/events/events_errors.h"
#include "emulator/events/events_service.h"
#include "emulator/events/target_codec.h"
#include "protocol/core/log.h"
#include "protocol/core/time_format.h"
#include "protocol/errors/render.h"

namespace edastack::events {
namespace {

const char* kContentType = "application/x-amz-json-1.1";

Result<std::optional<std::string>> Str(const OrderedJson& b, const char* key) {
  auto it = b.find(key);
  if (it == b.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string())
    return err::Serialization(std::string("Unexpected value type for member ") + key);
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> Required(const OrderedJson& b, const char* key, const char* field) {
  EDA_ASSIGN_OR_RETURN(auto v, Str(b, key));
  if (!v) return err::MissingMember(field);
  return *v;
}

Result<std::string> BusOf(const OrderedJson& b, const char* key = "EventBusName") {
  EDA_ASSIGN_OR_RETURN(auto v, Str(b, key));
  if (!v) return std::string(kDefaultBus);
  return ResolveBusName(*v, "eventBusName");
}

Result<int> LimitOf(const OrderedJson& b) {
  auto it = b.find("Limit");
  if (it == b.end() || it->is_null()) return 100;
  if (!it->is_number_integer()) return err::Serialization("Unexpected value type for member Limit");
  int64_t v = it->get<int64_t>();
  if (v < 1 || v > 100)
    return err::Constraint(std::to_string(v), "limit", "Member must have value between 1 and 100");
  return static_cast<int>(v);
}

Result<ListRequest> ListOf(const OrderedJson& b) {
  ListRequest r;
  EDA_ASSIGN_OR_RETURN(auto prefix, Str(b, "NamePrefix"));
  r.name_prefix = prefix.value_or("");
  EDA_ASSIGN_OR_RETURN(auto token, Str(b, "NextToken"));
  r.next_token = token.value_or("");
  EDA_ASSIGN_OR_RETURN(r.limit, LimitOf(b));
  return r;
}

Result<std::vector<Tag>> TagsOf(const OrderedJson& b) {
  std::vector<Tag> tags;
  auto it = b.find("Tags");
  if (it == b.end() || it->is_null()) return tags;
  if (!it->is_array()) return err::Serialization("Unexpected value type for member Tags");
  for (const auto& t : *it) {
    if (!t.is_object() || !t.value("Key", OrderedJson()).is_string() ||
        !t.value("Value", OrderedJson()).is_string())
      return err::Serialization("Unexpected value type in Tags");
    tags.push_back({t["Key"].get<std::string>(), t["Value"].get<std::string>()});
  }
  return tags;
}

double Epoch(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

OrderedJson BusJson(const EventBus& b) {
  OrderedJson j = {{"Name", b.name}, {"Arn", b.arn}};
  if (!b.description.empty()) j["Description"] = b.description;
  if (!b.policy.empty()) j["Policy"] = b.policy;
  j["CreationTime"] = Epoch(b.created_ms);
  j["LastModifiedTime"] = Epoch(b.modified_ms);
  return j;
}

OrderedJson RuleJson(const Rule& r, bool describe) {
  OrderedJson j = {{"Name", r.name}, {"Arn", r.arn}};
  if (!r.event_pattern.empty()) j["EventPattern"] = r.event_pattern;
  if (!r.schedule.empty()) j["ScheduleExpression"] = r.schedule;
  j["State"] = r.state;
  if (!r.description.empty()) j["Description"] = r.description;
  if (!r.role_arn.empty()) j["RoleArn"] = r.role_arn;
  if (!r.managed_by.empty()) j["ManagedBy"] = r.managed_by;
  j["EventBusName"] = r.bus;
  if (describe) j["CreatedBy"] = r.created_by;
  return j;
}

Result<std::optional<int64_t>> TimeOf(const OrderedJson& e) {
  auto it = e.find("Time");
  if (it == e.end() || it->is_null()) return std::optional<int64_t>();
  if (it->is_number()) return std::optional<int64_t>(std::llround(it->get<double>() * 1000.0));
  if (it->is_string()) {
    auto t = timefmt::ParseIso8601(it->get<std::string>());
    if (t) return std::optional<int64_t>(*t);
  }
  return err::Serialization("Unexpected value type for member Time");
}

Result<std::vector<PutEventsEntry>> EntriesOf(const OrderedJson& b) {
  auto it = b.find("Entries");
  if (it == b.end() || it->is_null()) return err::MissingMember("entries");
  if (!it->is_array()) return err::Serialization("Unexpected value type for member Entries");
  std::vector<PutEventsEntry> out;
  for (const auto& e : *it) {
    if (!e.is_object()) return err::Serialization("Unexpected value type in Entries");
    PutEventsEntry p;
    EDA_ASSIGN_OR_RETURN(p.source, Str(e, "Source"));
    EDA_ASSIGN_OR_RETURN(p.detail_type, Str(e, "DetailType"));
    EDA_ASSIGN_OR_RETURN(p.detail, Str(e, "Detail"));
    EDA_ASSIGN_OR_RETURN(auto bus, Str(e, "EventBusName"));
    p.bus = bus.value_or(kDefaultBus);
    auto res = e.find("Resources");
    if (res != e.end() && !res->is_null()) {
      if (!res->is_array()) return err::Serialization("Unexpected value type for member Resources");
      for (const auto& r : *res) {
        if (!r.is_string()) return err::Serialization("Unexpected value type in Resources");
        p.resources.push_back(r.get<std::string>());
      }
    }
    EDA_ASSIGN_OR_RETURN(p.time_ms, TimeOf(e));
    out.push_back(std::move(p));
  }
  return out;
}

OrderedJson FailedTargets(const PutTargetsResponse& r) {
  OrderedJson failed = OrderedJson::array();
  for (const auto& f : r.failed)
    failed.push_back({{"TargetId", f.target_id},
                      {"ErrorCode", f.error_code},
                      {"ErrorMessage", f.error_message}});
  return {{"FailedEntryCount", r.failed.size()}, {"FailedEntries", failed}};
}

}  // namespace

Result<OrderedJson> EventsService::Dispatch(const RequestContext& ctx, const std::string& op,
                                            const OrderedJson& b, bool internal) {
  storage::Database& db = emu_.db();
  OrderedJson empty = OrderedJson::object();
  if (op == "CreateEventBus") {
    CreateEventBusRequest r;
    EDA_ASSIGN_OR_RETURN(r.name, Required(b, "Name", "name"));
    EDA_ASSIGN_OR_RETURN(r.event_source_name, Str(b, "EventSourceName"));
    EDA_ASSIGN_OR_RETURN(auto d, Str(b, "Description"));
    r.description = d.value_or("");
    EDA_ASSIGN_OR_RETURN(r.tags, TagsOf(b));
    EDA_ASSIGN_OR_RETURN(EventBus bus, CreateEventBus(db, ctx, r));
    OrderedJson out = {{"EventBusArn", bus.arn}};
    if (!bus.description.empty()) out["Description"] = bus.description;
    return out;
  }
  if (op == "DeleteEventBus") {
    EDA_ASSIGN_OR_RETURN(std::string name, Required(b, "Name", "name"));
    EDA_TRY(DeleteEventBus(db, ctx, name));
    return empty;
  }
  if (op == "DescribeEventBus") {
    EDA_ASSIGN_OR_RETURN(auto name, Str(b, "Name"));
    EDA_ASSIGN_OR_RETURN(EventBus bus, DescribeEventBus(db, ctx, name.value_or(kDefaultBus)));
    return BusJson(bus);
  }
  if (op == "ListEventBuses") {
    EDA_ASSIGN_OR_RETURN(ListRequest r, ListOf(b));
    EDA_ASSIGN_OR_RETURN(auto res, ListEventBuses(db, ctx, r));
    OrderedJson list = OrderedJson::array();
    for (const auto& bus : res.buses) list.push_back(BusJson(bus));
    OrderedJson out = {{"EventBuses", list}};
    if (!res.next_token.empty()) out["NextToken"] = res.next_token;
    return out;
  }
  if (op == "PutRule") {
    PutRuleRequest r;
    EDA_ASSIGN_OR_RETURN(r.name, Required(b, "Name", "name"));
    EDA_ASSIGN_OR_RETURN(r.bus, BusOf(b));
    EDA_ASSIGN_OR_RETURN(r.event_pattern, Str(b, "EventPattern"));
    EDA_ASSIGN_OR_RETURN(r.schedule, Str(b, "ScheduleExpression"));
    EDA_ASSIGN_OR_RETURN(r.state, Str(b, "State"));
    EDA_ASSIGN_OR_RETURN(auto d, Str(b, "Description"));
    r.description = d.value_or("");
    EDA_ASSIGN_OR_RETURN(auto role, Str(b, "RoleArn"));
    r.role_arn = role.value_or("");
    EDA_ASSIGN_OR_RETURN(r.tags, TagsOf(b));
    EDA_ASSIGN_OR_RETURN(std::string arn, PutRule(db, ctx, r));
    return OrderedJson{{"RuleArn", arn}};
  }
  if (op == "DescribeRule" || op == "EnableRule" || op == "DisableRule" || op == "DeleteRule") {
    EDA_ASSIGN_OR_RETURN(std::string name, Required(b, "Name", "name"));
    EDA_ASSIGN_OR_RETURN(std::string bus, BusOf(b));
    if (op == "DescribeRule") {
      EDA_ASSIGN_OR_RETURN(Rule rule, DescribeRule(db, ctx, bus, name));
      return RuleJson(rule, true);
    }
    if (op == "EnableRule") EDA_TRY(EnableRule(db, ctx, bus, name));
    if (op == "DisableRule") EDA_TRY(DisableRule(db, ctx, bus, name));
    if (op == "DeleteRule") EDA_TRY(DeleteRule(db, ctx, bus, name));
    return empty;
  }
  if (op == "ListRules") {
    EDA_ASSIGN_OR_RETURN(ListRequest r, ListOf(b));
    EDA_ASSIGN_OR_RETURN(r.bus, BusOf(b));
    EDA_ASSIGN_OR_RETURN(auto res, ListRules(db, ctx, r));
    OrderedJson list = OrderedJson::array();
    for (const auto& rule : res.rules) list.push_back(RuleJson(rule, false));
    OrderedJson out = {{"Rules", list}};
    if (!res.next_token.empty()) out["NextToken"] = res.next_token;
    return out;
  }
  if (op == "ListRuleNamesByTarget") {
    EDA_ASSIGN_OR_RETURN(std::string arn, Required(b, "TargetArn", "targetArn"));
    EDA_ASSIGN_OR_RETURN(std::string bus, BusOf(b));
    EDA_ASSIGN_OR_RETURN(int limit, LimitOf(b));
    EDA_ASSIGN_OR_RETURN(auto token, Str(b, "NextToken"));
    EDA_ASSIGN_OR_RETURN(auto res,
                         ListRuleNamesByTarget(db, ctx, bus, arn, limit, token.value_or("")));
    OrderedJson out = {{"RuleNames", res.names}};
    if (!res.next_token.empty()) out["NextToken"] = res.next_token;
    return out;
  }
  if (op == "PutTargets") {
    PutTargetsRequest r;
    EDA_ASSIGN_OR_RETURN(r.rule, Required(b, "Rule", "rule"));
    EDA_ASSIGN_OR_RETURN(r.bus, BusOf(b));
    auto it = b.find("Targets");
    if (it == b.end() || it->is_null()) return err::MissingMember("targets");
    if (!it->is_array()) return err::Serialization("Unexpected value type for member Targets");
    for (size_t i = 0; i < it->size(); ++i) {
      EDA_ASSIGN_OR_RETURN(Target t, TargetFromJson((*it)[i], i + 1));
      r.targets.push_back(std::move(t));
    }
    EDA_ASSIGN_OR_RETURN(auto res, PutTargets(db, ctx, r));
    return FailedTargets(res);
  }
  if (op == "RemoveTargets") {
    RemoveTargetsRequest r;
    EDA_ASSIGN_OR_RETURN(r.rule, Required(b, "Rule", "rule"));
    EDA_ASSIGN_OR_RETURN(r.bus, BusOf(b));
    auto it = b.find("Ids");
    if (it == b.end() || it->is_null()) return err::MissingMember("ids");
    if (!it->is_array()) return err::Serialization("Unexpected value type for member Ids");
    for (const auto& id : *it) {
      if (!id.is_string()) return err::Serialization("Unexpected value type in Ids");
      r.ids.push_back(id.get<std::string>());
    }
    EDA_ASSIGN_OR_RETURN(auto res, RemoveTargets(db, ctx, r));
    return FailedTargets(res);
  }
  if (op == "ListTargetsByRule") {
    EDA_ASSIGN_OR_RETURN(std::string rule, Required(b, "Rule", "rule"));
    EDA_ASSIGN_OR_RETURN(ListRequest r, ListOf(b));
    EDA_ASSIGN_OR_RETURN(r.bus, BusOf(b));
    EDA_ASSIGN_OR_RETURN(auto res, ListTargetsByRule(db, ctx, r, rule));
    OrderedJson out = {{"Targets", res.targets}};
    if (!res.next_token.empty()) out["NextToken"] = res.next_token;
    return out;
  }
  if (op == "PutEvents") {
    EDA_ASSIGN_OR_RETURN(auto entries, EntriesOf(b));
    std::vector<Delivery> deliveries;
    int64_t outbox_id = 0;
    EDA_ASSIGN_OR_RETURN(auto res, PutEvents(db, ctx, entries, internal, rules_, &deliveries,
                                             &emu_.outbox(), &outbox_id));
    worker_->Enqueue(std::move(deliveries), outbox_id);
    OrderedJson list = OrderedJson::array();
    for (const auto& e : res.entries) {
      if (e.event_id.empty())
        list.push_back({{"ErrorCode", e.error_code}, {"ErrorMessage", e.error_message}});
      else
        list.push_back({{"EventId", e.event_id}});
    }
    return OrderedJson{{"FailedEntryCount", res.failed}, {"Entries", list}};
  }
  if (op == "TestEventPattern") {
    EDA_ASSIGN_OR_RETURN(std::string pattern, Required(b, "EventPattern", "eventPattern"));
    EDA_ASSIGN_OR_RETURN(std::string event, Required(b, "Event", "event"));
    EDA_ASSIGN_OR_RETURN(bool result, TestEventPattern(pattern, event));
    return OrderedJson{{"Result", result}};
  }
  if (op == "ListTagsForResource" || op == "TagResource" || op == "UntagResource") {
    EDA_ASSIGN_OR_RETURN(std::string arn, Required(b, "ResourceARN", "resourceARN"));
    if (op == "TagResource") {
      EDA_ASSIGN_OR_RETURN(auto tags, TagsOf(b));
      EDA_TRY(TagResource(db, ctx, arn, tags));
      return empty;
    }
    if (op == "UntagResource") {
      std::vector<std::string> keys;
      auto it = b.find("TagKeys");
      if (it == b.end() || !it->is_array()) return err::MissingMember("tagKeys");
      for (const auto& k : *it) {
        if (!k.is_string()) return err::Serialization("Unexpected value type in TagKeys");
        keys.push_back(k.get<std::string>());
      }
      EDA_TRY(UntagResource(db, ctx, arn, keys));
      return empty;
    }
    EDA_ASSIGN_OR_RETURN(auto tags, ListTagsForResource(db, ctx, arn));
    OrderedJson list = OrderedJson::array();
    for (const auto& t : tags) list.push_back({{"Key", t.key}, {"Value", t.value}});
    return OrderedJson{{"Tags", list}};
  }
  return err::UnknownOperation(op);
}

http::Response EventsService::Handle(const RequestContext& ctx, const http::Route& route,
                                     http::Request& req) {
  auto render_error = [&](const AwsError& e) {
    return errors::RenderJson(e, "", kContentType, ctx.request_id, false);
  };
  OrderedJson body = OrderedJson::object();
  if (!req.body.empty()) {
    body = OrderedJson::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return render_error(
          err::Serialization("Start of structure or map found where not expected."));
  }
  bool internal = req.Header("x-edastack-internal") == "1";
  Result<OrderedJson> out = Dispatch(ctx, route.operation, body, internal);
  static const char* kReadOnly[] = {
      "PutEvents",           "TestEventPattern", "DescribeRule",      "DescribeEventBus",
      "ListRules",           "ListEventBuses",   "ListTargetsByRule", "ListRuleNamesByTarget",
      "ListTagsForResource", "TagResource",      "UntagResource"};
  bool read_only = false;
  for (const char* op : kReadOnly) read_only = read_only || route.operation == op;
  if (!read_only) rules_.Invalidate();  // after the operation committed
  if (!out.ok()) return render_error(out.error());
  http::Response res;
  res.body = out->dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
  res.SetHeader("Content-Type", kContentType);
  res.SetHeader("x-amzn-RequestId", ctx.request_id);
  return res;
}

}  // namespace edastack::events
