// Message-level pure functions: the attribute MD5 scheme the SDKs check (PROTOCOLS.md §2.4),
// the compact stored form of attributes, body/attribute validation and receipt handles.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/sqs/sqs_types.h"
#include "protocol/core/result.h"

namespace edastack::sqs {

// The length-prefixed buffer AWS hashes: for each attribute in name order,
// u32 len + name, u32 len + DataType, 1 byte (1 string/number, 2 binary), u32 len + value.
// It is also the stored form of a message's attributes (it decodes back losslessly).
std::string EncodeAttributes(const Attributes& attrs);
// nullopt when the blob is corrupt.
std::optional<Attributes> DecodeAttributes(std::string_view blob);
// Hex MD5 of EncodeAttributes(attrs); "" for no attributes.
std::string AttributesMd5(const Attributes& attrs);

// Size AWS counts against MaximumMessageSize for one attribute set: name + type + value bytes.
size_t AttributesSize(const Attributes& attrs);

// Body characters: #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF, valid UTF-8.
bool IsValidMessageText(std::string_view text);

// Validates message attributes (names, data types, values, at most 10).
Status ValidateAttributes(const Attributes& attrs);
// Validates message system attributes (only AWSTraceHeader, a String).
Status ValidateSystemAttributes(const Attributes& attrs);

// Receipt handles: opaque to clients, they name the message row and the receive that issued
// them. Format: base64url("<queue id>:<row id>:<receive token>").
std::string MakeReceiptHandle(int64_t queue_id, int64_t row_id, const std::string& token);
struct ParsedHandle {
  int64_t queue_id = 0;
  int64_t row_id = 0;
  std::string token;
};
std::optional<ParsedHandle> ParseReceiptHandle(const std::string& handle);

// Batch entry ids: [A-Za-z0-9_-]{1,80}.
bool IsValidBatchId(const std::string& id);

// MessageAttributeNames / MessageSystemAttributeNames filtering: "All", ".*", exact names,
// "prefix.*".
bool NameSelected(const std::vector<std::string>& selectors, const std::string& name);

}  // namespace edastack::sqs
