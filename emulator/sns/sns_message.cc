#include "emulator/sns/sns_message.h"

#include "protocol/core/crypto.h"
#include "protocol/core/time_format.h"

namespace edastack::sns {
namespace {

std::string Dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string AttributeValueText(const MessageAttribute& a) {
  return a.IsBinary() ? crypto::Base64Encode(a.value) : a.value;
}

}  // namespace

std::string MessageFor(const PublishEntry& entry, const std::string& protocol) {
  if (entry.message_structure != "json") return entry.message;
  auto j = nlohmann::json::parse(entry.message, nullptr, false);
  if (!j.is_object()) return entry.message;
  auto pick = [&](const std::string& key) -> std::optional<std::string> {
    auto it = j.find(key);
    if (it == j.end()) return std::nullopt;
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  if (auto v = pick(protocol)) return *v;
  if (auto v = pick("default")) return *v;
  return entry.message;
}

std::string NotificationStringToSign(const std::string& message, const std::string& message_id,
                                     const std::string& subject, const std::string& timestamp,
                                     const std::string& topic_arn) {
  std::string s = "Message\n" + message + "\nMessageId\n" + message_id + "\n";
  if (!subject.empty()) s += "Subject\n" + subject + "\n";
  s += "Timestamp\n" + timestamp + "\nTopicArn\n" + topic_arn + "\nType\nNotification\n";
  return s;
}

std::string ConfirmationStringToSign(const std::string& type, const std::string& message,
                                     const std::string& message_id,
                                     const std::string& subscribe_url,
                                     const std::string& timestamp, const std::string& token,
                                     const std::string& topic_arn) {
  return "Message\n" + message + "\nMessageId\n" + message_id + "\nSubscribeURL\n" +
         subscribe_url + "\nTimestamp\n" + timestamp + "\nToken\n" + token + "\nTopicArn\n" +
         topic_arn + "\nType\n" + type + "\n";
}

nlohmann::ordered_json EnvelopeAttributes(const MessageAttributes& attrs) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& kv : attrs) {
    const MessageAttribute& a = kv.second;
    std::string type = a.IsBinary() ? "Binary" : a.data_type.rfind("Number", 0) == 0 ? "Number"
                       : a.data_type == "String.Array"                         ? "String.Array"
                                                                               : "String";
    out[kv.first] = {{"Type", type}, {"Value", AttributeValueText(a)}};
  }
  return out;
}

nlohmann::json FilterDocument(const MessageAttributes& attrs) {
  nlohmann::json doc = nlohmann::json::object();
  for (const auto& kv : attrs) {
    const MessageAttribute& a = kv.second;
    if (a.IsBinary()) {
      doc[kv.first] = {{"$binary", true}};
    } else if (a.data_type.rfind("Number", 0) == 0) {
      auto n = nlohmann::json::parse(a.value, nullptr, false);
      doc[kv.first] = n.is_number() ? n : nlohmann::json(a.value);
    } else if (a.data_type == "String.Array") {
      auto arr = nlohmann::json::parse(a.value, nullptr, false);
      doc[kv.first] = arr.is_array() ? arr : nlohmann::json(a.value);
    } else {
      doc[kv.first] = a.value;
    }
  }
  return doc;
}

std::string NotificationJson(const PublishedMessage& m, const std::string& message,
                             const EnvelopeLinks& links, const Signer& signer) {
  std::string ts = timefmt::Iso8601Millis(m.timestamp_ms);
  nlohmann::ordered_json j;
  j["Type"] = "Notification";
  j["MessageId"] = m.message_id;
  if (!m.sequence_number.empty()) j["SequenceNumber"] = m.sequence_number;
  j["TopicArn"] = m.topic_arn;
  if (!m.entry.subject.empty()) j["Subject"] = m.entry.subject;
  j["Message"] = message;
  j["Timestamp"] = ts;
  j["SignatureVersion"] = links.signature_version;
  j["Signature"] = !links.signature.empty()
                       ? links.signature
                       : signer.Sign(NotificationStringToSign(message, m.message_id,
                                                              m.entry.subject, ts, m.topic_arn),
                                     links.signature_version);
  j["SigningCertURL"] = links.signing_cert_url;
  j["UnsubscribeURL"] = links.unsubscribe_url;
  if (!m.entry.attributes.empty()) j["MessageAttributes"] = EnvelopeAttributes(m.entry.attributes);
  return Dump(j);
}

std::string NotificationSignature(const PublishedMessage& m, const std::string& message,
                                  const std::string& signature_version, const Signer& signer) {
  return signer.Sign(NotificationStringToSign(message, m.message_id, m.entry.subject,
                                       timefmt::Iso8601Millis(m.timestamp_ms), m.topic_arn),
              signature_version.empty() ? "1" : signature_version);
}

std::string ConfirmationJson(const std::string& message_id, const std::string& token,
                             const std::string& topic_arn, const std::string& subscribe_url,
                             int64_t timestamp_ms, const EnvelopeLinks& links,
                             const Signer& signer) {
  std::string ts = timefmt::Iso8601Millis(timestamp_ms);
  std::string message = "You have chosen to subscribe to the topic " + topic_arn +
                        ".\nTo confirm the subscription, visit the SubscribeURL included in this "
                        "message.";
  nlohmann::ordered_json j;
  j["Type"] = "SubscriptionConfirmation";
  j["MessageId"] = message_id;
  j["Token"] = token;
  j["TopicArn"] = topic_arn;
  j["Message"] = message;
  j["SubscribeURL"] = subscribe_url;
  j["Timestamp"] = ts;
  j["SignatureVersion"] = links.signature_version;
  j["Signature"] = signer.Sign(ConfirmationStringToSign("SubscriptionConfirmation", message,
                                                        message_id, subscribe_url, ts, token,
                                                        topic_arn),
                               links.signature_version);
  j["SigningCertURL"] = links.signing_cert_url;
  return Dump(j);
}

std::string LambdaEventJson(const PublishedMessage& m, const std::string& message,
                            const std::string& subscription_arn, const EnvelopeLinks& links,
                            const Signer& signer) {
  std::string ts = timefmt::Iso8601Millis(m.timestamp_ms);
  nlohmann::ordered_json sns;
  sns["Type"] = "Notification";
  sns["MessageId"] = m.message_id;
  sns["TopicArn"] = m.topic_arn;
  sns["Subject"] = m.entry.subject.empty() ? nlohmann::ordered_json()
                                           : nlohmann::ordered_json(m.entry.subject);
  sns["Message"] = message;
  sns["Timestamp"] = ts;
  sns["SignatureVersion"] = links.signature_version;
  sns["Signature"] = signer.Sign(
      NotificationStringToSign(message, m.message_id, m.entry.subject, ts, m.topic_arn),
      links.signature_version);
  sns["SigningCertUrl"] = links.signing_cert_url;
  sns["UnsubscribeUrl"] = links.unsubscribe_url;
  sns["MessageAttributes"] = EnvelopeAttributes(m.entry.attributes);
  nlohmann::ordered_json rec;
  rec["EventSource"] = "aws:sns";
  rec["EventVersion"] = "1.0";
  rec["EventSubscriptionArn"] = subscription_arn;
  rec["Sns"] = sns;
  nlohmann::ordered_json ev;
  ev["Records"] = nlohmann::ordered_json::array({rec});
  return Dump(ev);
}

}  // namespace edastack::sns
