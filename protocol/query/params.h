// Decoded query-protocol parameters (form body or query string) with the flattening
// conventions: `Name.N`, `Name.member.N`, `Name.entry.N.key/value`, `Name.N.Field`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace edastack::query {

class Params {
 public:
  Params() = default;
  explicit Params(const std::vector<std::pair<std::string, std::string>>& pairs);
  static Params FromForm(const std::string& body);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  const std::string* Find(const std::string& name) const;
  std::string Get(const std::string& name, const std::string& dflt = "") const;

  // Values of `prefix.1`, `prefix.2`, ... (or `prefix.member.N` when member is true), in
  // index order.
  std::vector<std::string> List(const std::string& prefix, bool member = false) const;
  // `prefix.N.<key_name>` / `prefix.N.<value_name>` pairs, in index order (e.g. Attribute.N.Name).
  std::vector<std::pair<std::string, std::string>> Map(const std::string& prefix,
                                                       const std::string& key_name,
                                                       const std::string& value_name) const;
  // Sub-parameter sets for `prefix.N.*`, in index order, with the `prefix.N.` stripped.
  std::vector<Params> Structs(const std::string& prefix) const;
  // The sub-parameter set under `prefix.` (e.g. "MessageAttribute.1.Value").
  Params Sub(const std::string& prefix) const;

  const std::map<std::string, std::string>& all() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace edastack::query
