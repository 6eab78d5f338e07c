// Minimal flag parsing for the edastack commands: --name value, --name=value, --flag.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace edastack::app {

class Args {
 public:
  // `flags` are the names that take no value.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& flags);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& dflt = "") const;
  const std::vector<std::string>& positional() const { return positional_; }
  // Names given that are not in `known`; empty when all are known.
  std::string Unknown(const std::set<std::string>& known) const;

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
  std::string error_;
};

}  // namespace edastack::app
