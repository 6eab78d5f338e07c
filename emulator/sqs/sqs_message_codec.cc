#include "emulator/sqs/sqs_message_codec.h"

#include "emulator/sqs/sqs_errors.h"
#include "protocol/core/crypto.h"
#include "protocol/core/strings.h"

namespace edastack::sqs {
namespace {

void PutLen(std::string* out, size_t n) {
  out->push_back(static_cast<char>((n >> 24) & 0xff));
  out->push_back(static_cast<char>((n >> 16) & 0xff));
  out->push_back(static_cast<char>((n >> 8) & 0xff));
  out->push_back(static_cast<char>(n & 0xff));
}

bool GetField(std::string_view* in, std::string* out) {
  if (in->size() < 4) return false;
  size_t n = (static_cast<size_t>(static_cast<unsigned char>((*in)[0])) << 24) |
             (static_cast<size_t>(static_cast<unsigned char>((*in)[1])) << 16) |
             (static_cast<size_t>(static_cast<unsigned char>((*in)[2])) << 8) |
             static_cast<size_t>(static_cast<unsigned char>((*in)[3]));
  in->remove_prefix(4);
  if (in->size() < n) return false;
  out->assign(in->data(), n);
  in->remove_prefix(n);
  return true;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

}  // namespace

std::string EncodeAttributes(const Attributes& attrs) {
  std::string out;
  for (const auto& kv : attrs) {
    PutLen(&out, kv.first.size());
    out += kv.first;
    PutLen(&out, kv.second.data_type.size());
    out += kv.second.data_type;
    bool binary = kv.second.IsBinary();
    out.push_back(binary ? 2 : 1);
    const std::string& v = binary ? kv.second.binary_value : kv.second.string_value;
    PutLen(&out, v.size());
    out += v;
  }
  return out;
}

std::optional<Attributes> DecodeAttributes(std::string_view blob) {
  Attributes out;
  while (!blob.empty()) {
    std::string name;
    AttributeValue v;
    if (!GetField(&blob, &name) || !GetField(&blob, &v.data_type) || blob.empty())
      return std::nullopt;
    char tag = blob[0];
    blob.remove_prefix(1);
    if (!GetField(&blob, tag == 2 ? &v.binary_value : &v.string_value)) return std::nullopt;
    out.emplace(std::move(name), std::move(v));
  }
  return out;
}

std::string AttributesMd5(const Attributes& attrs) {
  if (attrs.empty()) return "";
  return crypto::Md5Hex(EncodeAttributes(attrs));
}

size_t AttributesSize(const Attributes& attrs) {
  size_t n = 0;
  for (const auto& kv : attrs)
    n += kv.first.size() + kv.second.data_type.size() +
         (kv.second.IsBinary() ? kv.second.binary_value.size() : kv.second.string_value.size());
  return n;
}

bool IsValidMessageText(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xe0) == 0xc0) {
      cp = c & 0x1f;
      len = 2;
    } else if ((c & 0xf0) == 0xe0) {
      cp = c & 0x0f;
      len = 3;
    } else if ((c & 0xf8) == 0xf0) {
      cp = c & 0x07;
      len = 4;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong encodings.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
      return false;
    bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
              (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    if (!ok) return false;
    i += len;
  }
  return true;
}

Status ValidateAttributes(const Attributes& attrs) {
  if (attrs.size() > 10)
    return err::InvalidParameterValue("Number of message attributes [" +
                                      std::to_string(attrs.size()) +
                                      "] exceeds the allowed maximum [10].");
  for (const auto& kv : attrs) {
    const std::string& name = kv.first;
    const AttributeValue& v = kv.second;
    if (name.empty() || name.size() > 256)
      return err::InvalidParameterValue("Message attribute name must be 1 to 256 characters.");
    bool chars_ok = name.front() != '.' && name.back() != '.' && name.find("..") == std::string::npos;
    for (char c : name) chars_ok = chars_ok && IsNameChar(c);
    if (!chars_ok)
      return err::InvalidParameterValue("Message attribute name '" + name +
                                        "' is invalid. Names can contain alphanumeric characters, "
                                        "hyphens, underscores and periods.");
    std::string lower = str::ToLower(name);
    if (str::StartsWith(lower, "aws.") || str::StartsWith(lower, "amazon."))
      return err::InvalidParameterValue("Message attribute name '" + name +
                                        "' uses a reserved prefix.");
    if (v.data_type.empty())
      return err::InvalidParameterValue("The message attribute '" + name +
                                        "' must contain non-empty message attribute type.");
    if (v.data_type.size() > 256)
      return err::InvalidParameterValue("Message attribute type of '" + name +
                                        "' is too long.");
    std::string base = v.data_type.substr(0, v.data_type.find('.'));
    if (base != "String" && base != "Number" && base != "Binary")
      return err::InvalidParameterValue("The message attribute '" + name +
                                        "' has an invalid message attribute type, the set of "
                                        "supported type prefixes is Binary, Number, and String.");
    if (base == "Binary") {
      if (v.binary_value.empty())
        return err::InvalidParameterValue("The message attribute '" + name +
                                          "' with type 'Binary' must use field 'Binary'.");
    } else {
      if (v.string_value.empty())
        return err::InvalidParameterValue("The message attribute '" + name + "' with type '" +
                                          base + "' must use field 'String'.");
      if (!IsValidMessageText(v.string_value))
        return err::InvalidParameterValue("The message attribute '" + name +
                                          "' contains invalid characters.");
      if (base == "Number") {
        const std::string& s = v.string_value;
        size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
        bool digits = false, dot = false, ok = i < s.size();
        for (; i < s.size() && ok; ++i) {
          if (s[i] >= '0' && s[i] <= '9') digits = true;
          else if (s[i] == '.' && !dot) dot = true;
          else if ((s[i] == 'e' || s[i] == 'E') && digits) {
            // exponent: optional sign and digits
            size_t j = i + 1;
            if (j < s.size() && (s[j] == '-' || s[j] == '+')) ++j;
            ok = j < s.size();
            for (; j < s.size() && ok; ++j) ok = s[j] >= '0' && s[j] <= '9';
            i = s.size();
            break;
          } else {
            ok = false;
          }
        }
        if (!ok || !digits)
          return err::InvalidParameterValue("Can't cast message attribute '" + name +
                                            "' to a number.");
      }
    }
  }
  return OkStatus();
}

Status ValidateSystemAttributes(const Attributes& attrs) {
  for (const auto& kv : attrs) {
    if (kv.first != "AWSTraceHeader")
      return err::InvalidParameterValue("Message system attribute name '" + kv.first +
                                        "' is invalid.");
    if (kv.second.data_type != "String" || kv.second.string_value.empty())
      return err::InvalidParameterValue(
          "Message system attribute 'AWSTraceHeader' must have DataType String and a value.");
  }
  return OkStatus();
}

std::string MakeReceiptHandle(int64_t queue_id, int64_t row_id, const std::string& token) {
  std::string raw = std::to_string(queue_id) + ":" + std::to_string(row_id) + ":" + token;
  return crypto::Base64Encode(raw);
}

std::optional<ParsedHandle> ParseReceiptHandle(const std::string& handle) {
  auto raw = crypto::Base64Decode(handle);
  if (!raw) return std::nullopt;
  auto parts = str::Split(*raw, ':');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty())
    return std::nullopt;
  ParsedHandle h;
  for (int k = 0; k < 2; ++k) {
    int64_t v = 0;
    for (char c : parts[k]) {
      if (c < '0' || c > '9' || v > (int64_t{1} << 55)) return std::nullopt;
      v = v * 10 + (c - '0');
    }
    (k == 0 ? h.queue_id : h.row_id) = v;
  }
  h.token = parts[2];
  return h;
}

bool IsValidBatchId(const std::string& id) {
  if (id.empty() || id.size() > 80) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '_' || c == '-'))
      return false;
  return true;
}

bool NameSelected(const std::vector<std::string>& selectors, const std::string& name) {
  for (const auto& s : selectors) {
    if (s == "All" || s == ".*" || s == name) return true;
    if (s.size() > 2 && str::EndsWith(s, ".*") &&
        str::StartsWith(name, std::string_view(s).substr(0, s.size() - 1)))
      return true;
  }
  return false;
}

}  // namespace edastack::sqs
