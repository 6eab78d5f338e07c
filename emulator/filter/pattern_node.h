// The compiled form of a filter::Pattern (internal to emulator/filter). Built once by
// pattern_compile.cc, then only read by pattern_match.cc. Immutable after Compile, so
// shared between threads without locking.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "emulator/filter/pattern.h"

namespace edastack::filter {

// An IPv4 or IPv6 network. IPv4 addresses are kept in the first 4 bytes.
struct IpNetwork {
  bool v6 = false;
  uint8_t addr[16] = {0};
  int prefix_len = 0;
};

// Parses a dotted IPv4 or an RFC 4291 IPv6 text address. False when malformed.
bool ParseIp(const std::string& text, bool* v6, uint8_t out[16]);
// "a.b.c.d/n" or "x::y/n"; false when malformed.
bool ParseCidr(const std::string& text, IpNetwork* out);
bool CidrContains(const IpNetwork& net, const std::string& ip_text);

// Glob with `*` (any run); `\*` and `\\` are literal. Pattern already validated.
bool WildcardMatch(const std::string& pattern, const std::string& text);

enum class CondKind {
  kExact,             // value: string, number, bool or null
  kPrefix,            // text (lower-cased when ignore_case)
  kSuffix,            // text (lower-cased when ignore_case)
  kEqualsIgnoreCase,  // text lower-cased
  kWildcard,          // text
  kAnythingBut,       // but_values, or inner
  kNumeric,           // lower/upper bounds
  kExists,            // exists
  kCidr,              // network
};

struct Condition {
  CondKind kind = CondKind::kExact;
  nlohmann::json value;
  std::string text;
  bool ignore_case = false;
  // anything-but: a set of values (strings / numbers), or one inner string condition.
  std::vector<nlohmann::json> but_values;
  std::shared_ptr<const Condition> inner;
  // numeric
  bool has_lower = false, lower_inclusive = false, has_upper = false, upper_inclusive = false;
  double lower = 0, upper = 0;
  // exists
  bool exists = true;
  IpNetwork network;
};

struct Pattern::Node {
  struct Field {
    std::string key;
    std::vector<Condition> leaf;        // when child is null
    std::shared_ptr<const Node> child;  // a nested object pattern
  };
  std::vector<Field> fields;
  // Each inner vector is one "$or": the node matches when any alternative matches.
  std::vector<std::vector<std::shared_ptr<const Node>>> ors;
};

}  // namespace edastack::filter
