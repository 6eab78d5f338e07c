#include "pipeline/aws/events.h"

namespace edastack::pipeline::aws {

Result<nlohmann::json> Events::Call(const std::string& op, const nlohmann::json& body) {
  return client_.CallJson("events", "AWSEvents." + op, body, "1.1");
}

Result<std::string> Events::PutRule(const std::string& name, const std::string& event_pattern,
                                    const std::string& description) {
  nlohmann::json body = {{"Name", name}, {"EventPattern", event_pattern}, {"State", "ENABLED"}};
  if (!description.empty()) body["Description"] = description;
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("PutRule", body));
  return res.value("RuleArn", "");
}

Result<nlohmann::json> Events::DescribeRule(const std::string& name) {
  return Call("DescribeRule", {{"Name", name}});
}

Status Events::DeleteRule(const std::string& name) {
  EDA_TRY(Call("DeleteRule", {{"Name", name}}));
  return OkStatus();
}

Status Events::PutTargets(const std::string& rule, const std::vector<EventTarget>& targets) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : targets) list.push_back({{"Id", t.id}, {"Arn", t.arn}});
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("PutTargets", {{"Rule", rule}, {"Targets", list}}));
  if (res.value("FailedEntryCount", 0) > 0)
    return MakeError("FailedEntries", "PutTargets: " + res.value("FailedEntries", nlohmann::json()).dump());
  return OkStatus();
}

Result<std::vector<EventTarget>> Events::ListTargetsByRule(const std::string& rule) {
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("ListTargetsByRule", {{"Rule", rule}}));
  std::vector<EventTarget> out;
  if (res.contains("Targets") && res["Targets"].is_array())
    for (const auto& t : res["Targets"]) out.push_back({t.value("Id", ""), t.value("Arn", "")});
  return out;
}

Status Events::RemoveTargets(const std::string& rule, const std::vector<std::string>& ids) {
  EDA_TRY(Call("RemoveTargets", {{"Rule", rule}, {"Ids", ids}}));
  return OkStatus();
}

}  // namespace edastack::pipeline::aws
