// The edastack commands. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace edastack::app {

int ServeCommand(const std::vector<std::string>& args);

}  // namespace edastack::app
