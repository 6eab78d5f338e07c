// edastack: a local AWS for event-driven systems. The only place where the emulator and the
// pipeline meet.
#include <cstdio>
#include <string>
#include <vector>

#include "app/commands.h"

namespace {

const char* kUsage =
    "edastack " EDASTACK_VERSION " - a local AWS (S3, SNS, SQS, DynamoDB, EventBridge, STS)\n"
    "\n"
    "usage: edastack <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve      run the emulator (and the pipeline) on one port\n"
    "  deploy     create the pipeline's resources on an endpoint (idempotent)\n"
    "  diff       show what deploy would change\n"
    "  destroy    remove the pipeline's resources\n"
    "  worker     run the pipeline's API and functions against an endpoint\n"
    "  upload     upload a file to the pipeline's bucket\n"
    "  trigger    publish a pipeline event\n"
    "  status     resources, queue depths, DLQ count, recent events\n"
    "\n"
    "  edastack <command> --help   options of a command\n"
    "  edastack --version          print the version\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    fputs(kUsage, stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    printf("edastack %s\n", EDASTACK_VERSION);
    return 0;
  }
  std::string cmd = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "serve") return edastack::app::ServeCommand(rest);
  if (cmd == "deploy" || cmd == "diff" || cmd == "destroy")
    return edastack::app::DeployCommand(cmd, rest);
  if (cmd == "worker") return edastack::app::WorkerCommand(rest);
  if (cmd == "upload") return edastack::app::UploadCommand(rest);
  if (cmd == "trigger") return edastack::app::TriggerCommand(rest);
  if (cmd == "status") return edastack::app::StatusCommand(rest);
  fprintf(stderr, "edastack: unknown command '%s'\n\n%s", cmd.c_str(), kUsage);
  return 2;
}
