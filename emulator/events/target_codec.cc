#include "emulator/events/target_codec.h"

#include <cctype>

#include "emulator/events/events_errors.h"
#include "emulator/events/events_operations.h"

namespace edastack::events {
namespace {

// Members we accept and echo but do not act on.
const char* kPassThrough[] = {"RetryPolicy",
                              "KinesisParameters",
                              "RunCommandParameters",
                              "EcsParameters",
                              "BatchParameters",
                              "HttpParameters",
                              "RedshiftDataParameters",
                              "SageMakerPipelineParameters",
                              "AppSyncParameters"};

bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

Result<std::optional<std::string>> OptString(const OrderedJson& j, const char* key,
                                             const std::string& field) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return err::Serialization("Expected a string for " + field);
  return std::optional<std::string>(it->get<std::string>());
}

}  // namespace

Result<Target> TargetFromJson(const OrderedJson& j, size_t index) {
  std::string at = "targets." + std::to_string(index) + ".member.";
  if (!j.is_object()) return err::Serialization("Expected an object for " + at);
  Target t;
  EDA_ASSIGN_OR_RETURN(auto id, OptString(j, "Id", at + "id"));
  if (!id) return err::MissingMember(at + "id");
  if (id->empty() || id->size() > 64)
    return err::Constraint(*id, at + "id", "Member must have length between 1 and 64");
  for (char c : *id)
    if (!IsIdChar(c))
      return err::Constraint(*id, at + "id",
                             "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
  t.id = *id;
  EDA_ASSIGN_OR_RETURN(auto arn, OptString(j, "Arn", at + "arn"));
  if (!arn) return err::MissingMember(at + "arn");
  if (arn->empty() || arn->size() > 1600)
    return err::Constraint(*arn, at + "arn", "Member must have length between 1 and 1600");
  t.arn = *arn;
  EDA_ASSIGN_OR_RETURN(t.role_arn, OptString(j, "RoleArn", at + "roleArn"));
  EDA_ASSIGN_OR_RETURN(t.input, OptString(j, "Input", at + "input"));
  EDA_ASSIGN_OR_RETURN(t.input_path, OptString(j, "InputPath", at + "inputPath"));
  if (t.input_path && t.input_path->size() > 256)
    return err::Constraint(*t.input_path, at + "inputPath",
                           "Member must have length less than or equal to 256");
  auto xf = j.find("InputTransformer");
  if (xf != j.end() && !xf->is_null()) {
    if (!xf->is_object())
      return err::Serialization("Expected an object for " + at + "inputTransformer");
    InputTransformer x;
    EDA_ASSIGN_OR_RETURN(auto tpl,
                         OptString(*xf, "InputTemplate", at + "inputTransformer.inputTemplate"));
    if (!tpl) return err::MissingMember(at + "inputTransformer.inputTemplate");
    x.input_template = *tpl;
    auto paths = xf->find("InputPathsMap");
    if (paths != xf->end() && !paths->is_null()) {
      if (!paths->is_object()) return err::Serialization("Expected a map for InputPathsMap");
      x.has_paths = true;
      for (auto it = paths->begin(); it != paths->end(); ++it) {
        if (!it.value().is_string())
          return err::Serialization("Expected a string in InputPathsMap");
        x.paths.emplace_back(it.key(), it.value().get<std::string>());
      }
    }
    t.input_transformer = std::move(x);
  }
  auto sqs = j.find("SqsParameters");
  if (sqs != j.end() && sqs->is_object()) {
    EDA_ASSIGN_OR_RETURN(t.sqs_message_group_id,
                         OptString(*sqs, "MessageGroupId", at + "sqsParameters.messageGroupId"));
    if (!t.sqs_message_group_id) t.sqs_message_group_id = std::string();
  }
  auto dlq = j.find("DeadLetterConfig");
  if (dlq != j.end() && dlq->is_object()) {
    EDA_ASSIGN_OR_RETURN(t.dead_letter_arn, OptString(*dlq, "Arn", at + "deadLetterConfig.arn"));
    if (!t.dead_letter_arn) t.dead_letter_arn = std::string();
  }
  for (const char* key : kPassThrough) {
    auto it = j.find(key);
    if (it != j.end() && !it->is_null()) t.extra[key] = *it;
  }
  return t;
}

OrderedJson TargetToJson(const Target& t) {
  OrderedJson j = OrderedJson::object();
  j["Id"] = t.id;
  j["Arn"] = t.arn;
  if (t.role_arn) j["RoleArn"] = *t.role_arn;
  if (t.input) j["Input"] = *t.input;
  if (t.input_path) j["InputPath"] = *t.input_path;
  if (t.input_transformer) {
    OrderedJson x = OrderedJson::object();
    if (t.input_transformer->has_paths) {
      OrderedJson paths = OrderedJson::object();
      for (const auto& kv : t.input_transformer->paths) paths[kv.first] = kv.second;
      x["InputPathsMap"] = paths;
    }
    x["InputTemplate"] = t.input_transformer->input_template;
    j["InputTransformer"] = x;
  }
  if (t.sqs_message_group_id) {
    OrderedJson sqs = OrderedJson::object();
    if (!t.sqs_message_group_id->empty()) sqs["MessageGroupId"] = *t.sqs_message_group_id;
    j["SqsParameters"] = sqs;
  }
  if (t.dead_letter_arn) {
    OrderedJson dlq = OrderedJson::object();
    if (!t.dead_letter_arn->empty()) dlq["Arn"] = *t.dead_letter_arn;
    j["DeadLetterConfig"] = dlq;
  }
  for (auto it = t.extra.begin(); it != t.extra.end(); ++it) j[it.key()] = it.value();
  return j;
}

std::string EncodeDeliveries(const std::vector<Delivery>& deliveries) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : deliveries) {
    nlohmann::json j = {{"target", d.target_arn}, {"payload", d.payload}, {"region", d.region},
                        {"account", d.account},   {"host", d.host},       {"event", d.event_id},
                        {"rule", d.rule_arn}};
    if (d.message_group_id) j["group"] = *d.message_group_id;
    if (d.dead_letter_arn) j["dlq"] = *d.dead_letter_arn;
    list.push_back(std::move(j));
  }
  return list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::vector<Delivery>> DecodeDeliveries(const std::string& payload) {
  auto list = nlohmann::json::parse(payload, nullptr, false);
  if (!list.is_array()) return std::nullopt;
  std::vector<Delivery> out;
  try {
    for (const auto& j : list) {
      Delivery d;
      d.target_arn = j.at("target").get<std::string>();
      d.payload = j.at("payload").get<std::string>();
      d.region = j.at("region").get<std::string>();
      d.account = j.at("account").get<std::string>();
      d.host = j.at("host").get<std::string>();
      d.event_id = j.at("event").get<std::string>();
      d.rule_arn = j.at("rule").get<std::string>();
      if (j.contains("group")) d.message_group_id = j["group"].get<std::string>();
      if (j.contains("dlq")) d.dead_letter_arn = j["dlq"].get<std::string>();
      out.push_back(std::move(d));
    }
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  return out;
}

}  // namespace edastack::events
