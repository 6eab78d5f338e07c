#include "emulator/sns/sns_wire_query.h"

#include "emulator/sns/sns_errors.h"
#include "protocol/core/crypto.h"

namespace edastack::sns::wire {

const char* const kXmlns = "http://sns.amazonaws.com/doc/2010-03-31/";

Result<MessageAttributes> DecodeMessageAttributes(const query::Params& p) {
  MessageAttributes out;
  for (const auto& s : p.Structs("MessageAttributes.entry")) {
    std::string name = s.Get("Name");
    if (name.empty())
      return errors::ParameterValueInvalid("The message attribute name must not be empty.");
    MessageAttribute a;
    a.data_type = s.Get("Value.DataType");
    if (a.data_type.empty())
      return errors::ParameterValueInvalid("The message attribute '" + name +
                                           "' must contain non-empty message attribute type.");
    if (a.data_type.rfind("Binary", 0) == 0) {
      auto raw = crypto::Base64Decode(s.Get("Value.BinaryValue"));
      if (!raw)
        return errors::ParameterValueInvalid("The message attribute '" + name +
                                             "' has an invalid binary value.");
      a.value = *raw;
    } else {
      a.value = s.Get("Value.StringValue");
    }
    out[name] = std::move(a);
  }
  return out;
}

Result<PublishEntry> DecodePublishEntry(const query::Params& p) {
  PublishEntry e;
  e.id = p.Get("Id");
  e.message = p.Get("Message");
  e.subject = p.Get("Subject");
  e.message_structure = p.Get("MessageStructure");
  if (auto* g = p.Find("MessageGroupId")) e.group_id = *g;
  if (auto* d = p.Find("MessageDeduplicationId")) e.dedup_id = *d;
  EDA_ASSIGN_OR_RETURN(e.attributes, DecodeMessageAttributes(p));
  return e;
}

std::map<std::string, std::string> DecodeAttributes(const query::Params& p) {
  std::map<std::string, std::string> out;
  for (const auto& kv : p.Map("Attributes.entry", "key", "value")) out[kv.first] = kv.second;
  return out;
}

Tags DecodeTags(const query::Params& p) { return p.Map("Tags.member", "Key", "Value"); }

std::string Envelope(const std::string& op, const std::string& request_id,
                     const std::function<void(xml::Writer&)>& body, bool with_result) {
  xml::Writer w;
  w.Open(op + "Response", std::string("xmlns=\"") + kXmlns + "\"");
  if (with_result) {
    w.Open(op + "Result");
    if (body) body(w);
    w.Close();
  }
  w.Open("ResponseMetadata").Element("RequestId", request_id).Close();
  return w.Finish();
}

void WriteAttributes(xml::Writer& w, const std::map<std::string, std::string>& attrs) {
  w.Open("Attributes");
  for (const auto& kv : attrs)
    w.Open("entry").Element("key", kv.first).Element("value", kv.second).Close();
  w.Close();
}

}  // namespace edastack::sns::wire
