// Matching a compiled Pattern against a JSON document (event envelope, SNS body, or the
// {name: value} object of SNS message attributes).
//
// Semantics (PROTOCOLS.md §3.2, §6.4): keys AND, the alternatives under a key OR, "$or"
// ORs whole sub-patterns. An array in the document matches when any element matches; for
// nested patterns each array element is tried as a whole, so the fields matched by one
// sub-pattern come from the same element. A missing key only matches {"exists": false}.
// Objects are never leaf values (an SNS Binary attribute arrives as an object and so never
// matches).
#include <arpa/inet.h>

#include <cmath>
#include <cstring>

#include "emulator/filter/pattern.h"
#include "emulator/filter/pattern_node.h"
#include "protocol/core/strings.h"

namespace edastack::filter {
namespace {

using json = nlohmann::json;

// Adds the leaf values of `v` (arrays flattened, objects skipped) to `out`.
void CollectLeaves(const json& v, std::vector<const json*>* out) {
  if (v.is_array()) {
    for (const auto& e : v) CollectLeaves(e, out);
  } else if (!v.is_object()) {
    out->push_back(&v);
  }
}

bool ValuesEqual(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  if (a.is_string() && b.is_string())
    return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
  if (a.is_boolean() && b.is_boolean()) return a.get<bool>() == b.get<bool>();
  return a.is_null() && b.is_null();
}

bool StringCondition(const Condition& c, const std::string& s) {
  switch (c.kind) {
    case CondKind::kPrefix:
      return c.ignore_case ? str::StartsWith(str::ToLower(s), c.text) : str::StartsWith(s, c.text);
    case CondKind::kSuffix:
      return c.ignore_case ? str::EndsWith(str::ToLower(s), c.text) : str::EndsWith(s, c.text);
    case CondKind::kEqualsIgnoreCase:
      return str::ToLower(s) == c.text;
    case CondKind::kWildcard:
      return WildcardMatch(c.text, s);
    case CondKind::kCidr:
      return CidrContains(c.network, s);
    default:
      return false;
  }
}

bool ValueMatches(const Condition& c, const json& v) {
  switch (c.kind) {
    case CondKind::kExact:
      return ValuesEqual(c.value, v);
    case CondKind::kPrefix:
    case CondKind::kSuffix:
    case CondKind::kEqualsIgnoreCase:
    case CondKind::kWildcard:
    case CondKind::kCidr:
      return v.is_string() && StringCondition(c, v.get_ref<const std::string&>());
    case CondKind::kNumeric: {
      if (!v.is_number()) return false;
      double x = v.get<double>();
      if (c.has_lower && (c.lower_inclusive ? x < c.lower : x <= c.lower)) return false;
      if (c.has_upper && (c.upper_inclusive ? x > c.upper : x >= c.upper)) return false;
      return true;
    }
    case CondKind::kAnythingBut: {
      if (c.inner)
        return !(v.is_string() && StringCondition(*c.inner, v.get_ref<const std::string&>()));
      if (c.ignore_case) {
        if (!v.is_string()) return true;
        std::string lower = str::ToLower(v.get_ref<const std::string&>());
        for (const auto& b : c.but_values)
          if (b.get_ref<const std::string&>() == lower) return false;
        return true;
      }
      for (const auto& b : c.but_values)
        if (ValuesEqual(b, v)) return false;
      return true;
    }
    case CondKind::kExists:
      return false;  // decided on presence, in LeafMatches
  }
  return false;
}

// `value` is null when the key is absent.
bool LeafMatches(const std::vector<Condition>& conds, const json* value) {
  std::vector<const json*> leaves;
  if (value) CollectLeaves(*value, &leaves);
  for (const auto& c : conds) {
    if (c.kind == CondKind::kExists) {
      if (c.exists == !leaves.empty()) return true;
      continue;
    }
    for (const json* v : leaves)
      if (ValueMatches(c, *v)) return true;
  }
  return false;
}

const json& EmptyObject() {
  static const json kEmpty = json::object();
  return kEmpty;
}

bool NodeMatches(const Pattern::Node& node, const json& obj);

// A nested pattern against whatever sits at its key.
bool ChildMatches(const Pattern::Node& child, const json* value) {
  if (value && value->is_object()) return NodeMatches(child, *value);
  if (value && value->is_array()) {
    bool any_object = false;
    for (const auto& e : *value) {
      if (e.is_object() || e.is_array()) {
        any_object = true;
        if (ChildMatches(child, &e)) return true;
      }
    }
    if (any_object) return false;
  }
  return NodeMatches(child, EmptyObject());
}

bool NodeMatches(const Pattern::Node& node, const json& obj) {
  for (const auto& f : node.fields) {
    const json* value = nullptr;
    if (obj.is_object()) {
      auto it = obj.find(f.key);
      if (it != obj.end()) value = &*it;
    }
    bool ok = f.child ? ChildMatches(*f.child, value) : LeafMatches(f.leaf, value);
    if (!ok) return false;
  }
  for (const auto& alternatives : node.ors) {
    bool any = false;
    for (const auto& alt : alternatives) {
      if (NodeMatches(*alt, obj)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

}  // namespace

bool Pattern::Matches(const nlohmann::json& doc) const {
  if (!root_) return true;  // an empty (default-constructed) pattern matches everything
  if (!doc.is_object()) return NodeMatches(*root_, EmptyObject());
  return NodeMatches(*root_, doc);
}

bool WildcardMatch(const std::string& pattern, const std::string& text) {
  // Split into literal segments around unescaped '*'.
  std::vector<std::string> segs(1);
  for (size_t i = 0; i < pattern.size(); ++i) {
    char ch = pattern[i];
    if (ch == '\\' && i + 1 < pattern.size()) {
      segs.back().push_back(pattern[++i]);
    } else if (ch == '*') {
      segs.emplace_back();
    } else {
      segs.back().push_back(ch);
    }
  }
  if (segs.size() == 1) return text == segs[0];
  const std::string& first = segs.front();
  const std::string& last = segs.back();
  if (text.size() < first.size() + last.size()) return false;
  if (text.compare(0, first.size(), first) != 0) return false;
  if (text.compare(text.size() - last.size(), last.size(), last) != 0) return false;
  size_t pos = first.size();
  size_t end = text.size() - last.size();
  for (size_t k = 1; k + 1 < segs.size(); ++k) {
    if (segs[k].empty()) continue;
    size_t found = text.find(segs[k], pos);
    if (found == std::string::npos || found + segs[k].size() > end) return false;
    pos = found + segs[k].size();
  }
  return true;
}

bool ParseIp(const std::string& text, bool* v6, uint8_t out[16]) {
  std::memset(out, 0, 16);
  if (text.find(':') != std::string::npos) {
    *v6 = true;
    return inet_pton(AF_INET6, text.c_str(), out) == 1;
  }
  *v6 = false;
  return inet_pton(AF_INET, text.c_str(), out) == 1;
}

bool ParseCidr(const std::string& text, IpNetwork* out) {
  size_t slash = text.find('/');
  if (slash == std::string::npos || slash + 1 >= text.size()) return false;
  std::string bits = text.substr(slash + 1);
  for (char ch : bits)
    if (ch < '0' || ch > '9') return false;
  if (bits.size() > 3) return false;
  if (!ParseIp(text.substr(0, slash), &out->v6, out->addr)) return false;
  int n = std::stoi(bits);
  if (n > (out->v6 ? 128 : 32)) return false;
  out->prefix_len = n;
  return true;
}

bool CidrContains(const IpNetwork& net, const std::string& ip_text) {
  bool v6 = false;
  uint8_t ip[16];
  if (!ParseIp(ip_text, &v6, ip) || v6 != net.v6) return false;
  int full = net.prefix_len / 8, rest = net.prefix_len % 8;
  if (std::memcmp(ip, net.addr, full) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (ip[full] & mask) == (net.addr[full] & mask);
}

}  // namespace edastack::filter
