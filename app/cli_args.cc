#include "app/cli_args.h"

namespace edastack::app {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& flags) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (!flags.count(name)) {
      if (i + 1 >= argv.size()) {
        error_ = "--" + name + " needs a value";
        return;
      }
      value = argv[++i];
    } else {
      value = "true";
    }
    values_[name] = value;
  }
}

std::string Args::Get(const std::string& name, const std::string& dflt) const {
  auto it = values_.find(name);
  return it == values_.end() ? dflt : it->second;
}

std::string Args::Unknown(const std::set<std::string>& known) const {
  for (const auto& kv : values_)
    if (!known.count(kv.first)) return "--" + kv.first;
  return "";
}

}  // namespace edastack::app
