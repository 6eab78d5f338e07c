#include "protocol/query/params.h"

#include <cctype>

#include "protocol/core/strings.h"

namespace edastack::query {
namespace {

// Parses the leading decimal index of `rest` ("12.Name" -> 12, tail ".Name").
bool LeadingIndex(const std::string& rest, long* index, std::string* tail) {
  size_t i = 0;
  while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) ++i;
  if (i == 0 || i > 9) return false;
  *index = std::stol(rest.substr(0, i));
  *tail = rest.substr(i);
  return true;
}

}  // namespace

Params::Params(const std::vector<std::pair<std::string, std::string>>& pairs) {
  for (const auto& kv : pairs) values_.emplace(kv.first, kv.second);
}

Params Params::FromForm(const std::string& body) { return Params(str::ParseForm(body)); }

const std::string* Params::Find(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

std::string Params::Get(const std::string& name, const std::string& dflt) const {
  auto it = values_.find(name);
  return it == values_.end() ? dflt : it->second;
}

std::vector<std::string> Params::List(const std::string& prefix, bool member) const {
  std::string p = prefix + (member ? ".member." : ".");
  std::map<long, std::string> ordered;
  for (auto it = values_.lower_bound(p); it != values_.end() && str::StartsWith(it->first, p); ++it) {
    long idx;
    std::string tail;
    if (LeadingIndex(it->first.substr(p.size()), &idx, &tail) && tail.empty())
      ordered[idx] = it->second;
  }
  std::vector<std::string> out;
  for (auto& kv : ordered) out.push_back(kv.second);
  return out;
}

std::vector<Params> Params::Structs(const std::string& prefix) const {
  std::string p = prefix + ".";
  std::map<long, Params> ordered;
  for (auto it = values_.lower_bound(p); it != values_.end() && str::StartsWith(it->first, p); ++it) {
    long idx;
    std::string tail;
    if (LeadingIndex(it->first.substr(p.size()), &idx, &tail) && tail.size() > 1 && tail[0] == '.')
      ordered[idx].values_.emplace(tail.substr(1), it->second);
  }
  std::vector<Params> out;
  for (auto& kv : ordered) out.push_back(std::move(kv.second));
  return out;
}

std::vector<std::pair<std::string, std::string>> Params::Map(const std::string& prefix,
                                                             const std::string& key_name,
                                                             const std::string& value_name) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : Structs(prefix)) {
    const std::string* k = s.Find(key_name);
    if (!k) continue;
    out.emplace_back(*k, s.Get(value_name));
  }
  return out;
}

Params Params::Sub(const std::string& prefix) const {
  Params out;
  std::string p = prefix + ".";
  for (auto it = values_.lower_bound(p); it != values_.end() && str::StartsWith(it->first, p); ++it)
    out.values_.emplace(it->first.substr(p.size()), it->second);
  return out;
}

}  // namespace edastack::query
