// Query-protocol codec for SNS: form/query parameters → typed requests, results → XML
// (with the mandatory <OpResult> wrapper, PROTOCOLS.md §3). Pure functions.
#pragma once

#include <string>

#include "emulator/sns/sns_types.h"
#include "protocol/core/result.h"
#include "protocol/query/params.h"
#include "protocol/query/xml_writer.h"

namespace edastack::sns::wire {

extern const char* const kXmlns;

Result<MessageAttributes> DecodeMessageAttributes(const query::Params& p);
Result<PublishEntry> DecodePublishEntry(const query::Params& p);
std::map<std::string, std::string> DecodeAttributes(const query::Params& p);
Tags DecodeTags(const query::Params& p);

// Writes <OpResponse xmlns><OpResult>{body}</OpResult><ResponseMetadata>...; `body` may be
// null for operations without a result element.
std::string Envelope(const std::string& op, const std::string& request_id,
                     const std::function<void(xml::Writer&)>& body, bool with_result = true);
void WriteAttributes(xml::Writer& w, const std::map<std::string, std::string>& attrs);

}  // namespace edastack::sns::wire
