#include "pipeline/aws/sns.h"

#include "protocol/core/strings.h"

namespace edastack::pipeline::aws {

std::string ArnResourceName(const std::string& arn) {
  size_t colon = arn.find_last_of(':');
  return colon == std::string::npos ? arn : arn.substr(colon + 1);
}

std::string ArnAccount(const std::string& arn) {
  auto parts = str::Split(arn, ':');
  return parts.size() > 4 ? parts[4] : "";
}

Result<xml::Node> Sns::Call(const std::string& action,
                            const std::vector<std::pair<std::string, std::string>>& params) {
  return client_.CallQuery("sns", "2010-03-31", action, params);
}

Result<std::string> Sns::CreateTopic(const std::string& name) {
  EDA_ASSIGN_OR_RETURN(xml::Node doc, Call("CreateTopic", {{"Name", name}}));
  const xml::Node* arn = doc.Find("TopicArn");
  if (!arn) return MakeError("ResponseParserError", "CreateTopic: no TopicArn", 500, false);
  return arn->text;
}

Status Sns::DeleteTopic(const std::string& topic_arn) {
  EDA_TRY(Call("DeleteTopic", {{"TopicArn", topic_arn}}));
  return OkStatus();
}

Result<std::vector<std::string>> Sns::ListTopics() {
  std::vector<std::string> out;
  std::string token;
  for (int page = 0; page < 1000; ++page) {
    std::vector<std::pair<std::string, std::string>> params;
    if (!token.empty()) params.emplace_back("NextToken", token);
    EDA_ASSIGN_OR_RETURN(xml::Node doc, Call("ListTopics", params));
    std::vector<const xml::Node*> arns;
    doc.FindAll("TopicArn", &arns);
    for (const xml::Node* n : arns) out.push_back(n->text);
    const xml::Node* next = doc.Find("NextToken");
    if (!next || next->text.empty()) break;
    token = next->text;
  }
  return out;
}

Result<std::string> Sns::Subscribe(const std::string& topic_arn, const std::string& protocol,
                                   const std::string& endpoint,
                                   const std::map<std::string, std::string>& attributes) {
  std::vector<std::pair<std::string, std::string>> params = {
      {"TopicArn", topic_arn}, {"Protocol", protocol}, {"Endpoint", endpoint},
      {"ReturnSubscriptionArn", "true"}};
  int i = 1;
  for (const auto& kv : attributes) {
    params.emplace_back("Attributes.entry." + std::to_string(i) + ".key", kv.first);
    params.emplace_back("Attributes.entry." + std::to_string(i) + ".value", kv.second);
    ++i;
  }
  EDA_ASSIGN_OR_RETURN(xml::Node doc, Call("Subscribe", params));
  const xml::Node* arn = doc.Find("SubscriptionArn");
  return arn ? arn->text : std::string();
}

Status Sns::Unsubscribe(const std::string& subscription_arn) {
  EDA_TRY(Call("Unsubscribe", {{"SubscriptionArn", subscription_arn}}));
  return OkStatus();
}

Result<std::map<std::string, std::string>> Sns::GetSubscriptionAttributes(
    const std::string& subscription_arn) {
  EDA_ASSIGN_OR_RETURN(xml::Node doc,
                       Call("GetSubscriptionAttributes", {{"SubscriptionArn", subscription_arn}}));
  std::map<std::string, std::string> out;
  if (const xml::Node* attrs = doc.Find("Attributes"))
    for (const xml::Node* e : attrs->Children("entry")) out[e->ChildText("key")] = e->ChildText("value");
  return out;
}

Status Sns::SetSubscriptionAttributes(const std::string& subscription_arn, const std::string& name,
                                      const std::string& value) {
  EDA_TRY(Call("SetSubscriptionAttributes", {{"SubscriptionArn", subscription_arn},
                                             {"AttributeName", name},
                                             {"AttributeValue", value}}));
  return OkStatus();
}

Result<std::vector<SnsSubscription>> Sns::ListSubscriptionsByTopic(const std::string& topic_arn) {
  std::vector<SnsSubscription> out;
  std::string token;
  for (int page = 0; page < 1000; ++page) {
    std::vector<std::pair<std::string, std::string>> params = {{"TopicArn", topic_arn}};
    if (!token.empty()) params.emplace_back("NextToken", token);
    EDA_ASSIGN_OR_RETURN(xml::Node doc, Call("ListSubscriptionsByTopic", params));
    if (const xml::Node* subs = doc.Find("Subscriptions")) {
      for (const xml::Node* m : subs->Children("member")) {
        out.push_back({m->ChildText("SubscriptionArn"), m->ChildText("Protocol"),
                       m->ChildText("Endpoint"), m->ChildText("TopicArn")});
      }
    }
    const xml::Node* next = doc.Find("NextToken");
    if (!next || next->text.empty()) break;
    token = next->text;
  }
  return out;
}

Result<std::string> Sns::Publish(const std::string& topic_arn, const std::string& message,
                                 const std::string& subject) {
  std::vector<std::pair<std::string, std::string>> params = {{"TopicArn", topic_arn},
                                                             {"Message", message}};
  if (!subject.empty()) params.emplace_back("Subject", subject);
  EDA_ASSIGN_OR_RETURN(xml::Node doc, Call("Publish", params));
  const xml::Node* id = doc.Find("MessageId");
  return id ? id->text : std::string();
}

Result<PublishBatchOutcome> Sns::PublishBatch(const std::string& topic_arn,
                                              const std::vector<SnsBatchEntry>& entries) {
  std::vector<std::pair<std::string, std::string>> params = {{"TopicArn", topic_arn}};
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string prefix = "PublishBatchRequestEntries.member." + std::to_string(i + 1) + ".";
    params.emplace_back(prefix + "Id", entries[i].id);
    params.emplace_back(prefix + "Message", entries[i].message);
    if (!entries[i].subject.empty()) params.emplace_back(prefix + "Subject", entries[i].subject);
  }
  EDA_ASSIGN_OR_RETURN(xml::Node doc, Call("PublishBatch", params));
  PublishBatchOutcome out;
  if (const xml::Node* ok = doc.Find("Successful"))
    for (const xml::Node* m : ok->Children("member"))
      out.successful[m->ChildText("Id")] = m->ChildText("MessageId");
  if (const xml::Node* failed = doc.Find("Failed"))
    for (const xml::Node* m : failed->Children("member"))
      out.failed.emplace_back(m->ChildText("Id"), m->ChildText("Code"));
  return out;
}

}  // namespace edastack::pipeline::aws
