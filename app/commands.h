// The edastack commands. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace edastack::app {

int ServeCommand(const std::vector<std::string>& args);
// mode: "deploy", "diff" or "destroy".
int DeployCommand(const std::string& mode, const std::vector<std::string>& args);
int WorkerCommand(const std::vector<std::string>& args);
int UploadCommand(const std::vector<std::string>& args);
int TriggerCommand(const std::vector<std::string>& args);
int StatusCommand(const std::vector<std::string>& args);

}  // namespace edastack::app
