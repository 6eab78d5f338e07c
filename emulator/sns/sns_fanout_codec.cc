// The outbox payloads of SNS: a fan-out (EncodeFanout / DecodeFanout): compact JSON of the
// published message, binary attribute values in base64; a subscription confirmation
// (EncodeConfirmation / DecodeConfirmation).
#include <nlohmann/json.hpp>

#include "emulator/sns/sns_operations.h"
#include "protocol/core/crypto.h"

namespace edastack::sns {

std::string EncodeFanout(const Fanout& f) {
  const PublishedMessage& m = f.message;
  nlohmann::json attrs = nlohmann::json::array();
  for (const auto& [name, a] : m.entry.attributes)
    attrs.push_back({name, a.data_type, a.IsBinary() ? crypto::Base64Encode(a.value) : a.value});
  nlohmann::json j = {{"id", m.message_id},       {"topic", m.topic_arn},
                      {"seq", m.sequence_number}, {"msg", m.entry.message},
                      {"subj", m.entry.subject},  {"struct", m.entry.message_structure},
                      {"attrs", std::move(attrs)}, {"dedup", m.dedup_id},
                      {"ts", m.timestamp_ms},     {"origin", m.origin},
                      {"policy", f.topic_delivery_policy}, {"sigv", f.signature_version}};
  if (m.entry.group_id) j["group"] = *m.entry.group_id;
  if (m.entry.dedup_id) j["dedup_in"] = *m.entry.dedup_id;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Fanout> DecodeFanout(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    Fanout f;
    PublishedMessage& m = f.message;
    m.message_id = j.at("id").get<std::string>();
    m.topic_arn = j.at("topic").get<std::string>();
    m.sequence_number = j.at("seq").get<std::string>();
    m.entry.message = j.at("msg").get<std::string>();
    m.entry.subject = j.at("subj").get<std::string>();
    m.entry.message_structure = j.at("struct").get<std::string>();
    for (const auto& a : j.at("attrs")) {
      MessageAttribute attr{a.at(1).get<std::string>(), a.at(2).get<std::string>()};
      if (attr.IsBinary()) {
        auto bytes = crypto::Base64Decode(attr.value);
        if (!bytes) return std::nullopt;
        attr.value = std::move(*bytes);
      }
      m.entry.attributes[a.at(0).get<std::string>()] = std::move(attr);
    }
    m.dedup_id = j.at("dedup").get<std::string>();
    m.timestamp_ms = j.at("ts").get<int64_t>();
    m.origin = j.at("origin").get<std::string>();
    if (j.contains("group")) m.entry.group_id = j["group"].get<std::string>();
    if (j.contains("dedup_in")) m.entry.dedup_id = j["dedup_in"].get<std::string>();
    f.topic_delivery_policy = j.at("policy").get<std::string>();
    f.signature_version = j.at("sigv").get<std::string>();
    return f;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::string EncodeConfirmation(const ConfirmationRequest& c) {
  nlohmann::json j = {{"sub", c.sub.arn},
                      {"origin", c.origin},
                      {"ts", c.now_ms},
                      {"sigv", c.signature_version},
                      {"policy", c.topic_delivery_policy}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<ConfirmationRequest> DecodeConfirmation(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    ConfirmationRequest c;
    c.sub.arn = j.at("sub").get<std::string>();
    c.origin = j.at("origin").get<std::string>();
    c.now_ms = j.at("ts").get<int64_t>();
    c.signature_version = j.at("sigv").get<std::string>();
    c.topic_delivery_policy = j.at("policy").get<std::string>();
    return c;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace edastack::sns
