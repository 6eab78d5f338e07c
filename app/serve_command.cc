// `edastack serve`: the emulator on one port.
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "app/cli_args.h"
#include "app/commands.h"
#include "app/embedded_pipeline.h"
#include "emulator/server/emulator.h"
#include "emulator/server/http_server.h"
#include "protocol/core/log.h"

namespace edastack::app {
namespace {

const char* kServeHelp =
    "usage: edastack serve [options]\n"
    "\n"
    "  --host ADDR            address to bind (default 127.0.0.1)\n"
    "  --port N               port (default 4566; 0 picks a free port and prints it)\n"
    "  --data DIR             data directory (default ./.edastack)\n"
    "  --ephemeral            keep everything in memory\n"
    "  --region R             default region when a request is unsigned (default us-east-1)\n"
    "  --account ID           the 12-digit account id in every ARN (default 000000000000)\n"
    "  --auth off|sigv4       verify SigV4 signatures (default off)\n"
    "  --credentials K:S,...  access keys accepted under --auth sigv4 (default test:test)\n"
    "  --log-level L          debug|info|warn|error (default info)\n"
    "  --max-threads N        connection threads, grown on demand (default 1024)\n"
    "  --no-pipeline          do not deploy and run the event pipeline\n"
    "  --api-port N           the pipeline's HTTP API port (default 4567; 0 picks one)\n"
    "  --api-host ADDR        the pipeline's HTTP API address (default: --host)\n"
    "  --prefix P             namespace the pipeline's resource names as P-<name>\n"
    "  --function-nice N      niceness of the pipeline's function threads, 0..19 (default 10):\n"
    "                         under load, requests from clients are served first and the\n"
    "                         functions work through the backlog with the CPU left\n"
    "  --function-yield-ms N  while the pipeline API is busy (3 or more requests at once),\n"
    "                         the functions wait between batches and one batch goes every\n"
    "                         N ms (default 100; 0 off): a burst of POST /events is\n"
    "                         accepted at the API's own rate and drained after it\n"
    "  --s3-restore-delay-ms N  S3 RestoreObject completes after N ms (default 3000; AWS:\n"
    "                         minutes to hours)\n";

HttpServer* g_server = nullptr;

void OnSignal(int) {
  if (g_server) g_server->Stop();
}

bool ValidAccount(const std::string& a) {
  if (a.size() != 12) return false;
  for (char c : a)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

int ServeCommand(const std::vector<std::string>& argv) {
  Args args(argv, {"ephemeral", "help", "no-pipeline"});
  if (args.Has("help")) {
    fputs(kServeHelp, stdout);
    return 0;
  }
  std::string unknown = args.Unknown({"host", "port", "data", "ephemeral", "region", "account",
                                      "auth", "credentials", "log-level", "max-threads", "help",
                                      "no-pipeline", "api-port", "api-host", "prefix",
                                      "function-nice", "function-yield-ms", "s3-restore-delay-ms"});
  if (!args.ok() || !unknown.empty()) {
    fprintf(stderr, "edastack serve: %s\n\n%s",
            args.ok() ? ("unknown option " + unknown).c_str() : args.error().c_str(), kServeHelp);
    return 2;
  }
  log::Level level;
  if (!log::ParseLevel(args.Get("log-level", "info"), &level)) {
    fprintf(stderr, "edastack serve: bad --log-level\n");
    return 2;
  }
  log::SetLevel(level);

  EmulatorOptions opts;
  opts.ephemeral = args.Has("ephemeral");
  // Test only, default off: keep every SNS/EventBridge/S3 delivery pending in the outbox
  // (see EmulatorOptions::hold_deliveries) so kill -9 tests have a deterministic window.
  if (const char* hold = std::getenv("EDASTACK_TEST_HOLD_DELIVERIES"))
    opts.hold_deliveries = std::string(hold) == "1";
  opts.data_dir = args.Get("data", ".edastack");
  opts.region = args.Get("region", "us-east-1");
  opts.account = args.Get("account", "000000000000");
  if (!ValidAccount(opts.account)) {
    fprintf(stderr, "edastack serve: --account must be 12 digits\n");
    return 2;
  }
  std::string auth = args.Get("auth", "off");
  if (auth != "off" && auth != "sigv4") {
    fprintf(stderr, "edastack serve: --auth must be off or sigv4\n");
    return 2;
  }
  opts.auth_sigv4 = auth == "sigv4";
  if (args.Has("credentials")) {
    opts.credentials.clear();
    for (const auto& pair : str::Split(args.Get("credentials"), ',')) {
      size_t colon = pair.find(':');
      if (colon == std::string::npos || colon == 0) {
        fprintf(stderr, "edastack serve: --credentials wants KEY:SECRET[,KEY:SECRET...]\n");
        return 2;
      }
      opts.credentials[pair.substr(0, colon)] = pair.substr(colon + 1);
    }
  }
  HttpServerOptions http_opts;
  int api_port = 4567, function_nice = 10, function_yield_ms = 100;
  http_opts.host = args.Get("host", "127.0.0.1");
  try {
    http_opts.port = std::stoi(args.Get("port", "4566"));
    http_opts.max_threads = std::stoul(args.Get("max-threads", "1024"));
    api_port = std::stoi(args.Get("api-port", "4567"));
    function_nice = std::stoi(args.Get("function-nice", "10"));
    function_yield_ms = std::stoi(args.Get("function-yield-ms", "100"));
    opts.s3_restore_delay_ms = std::stoll(args.Get("s3-restore-delay-ms", "3000"));
    if (opts.s3_restore_delay_ms < 0) throw std::invalid_argument("negative");
  } catch (...) {
    fprintf(stderr,
            "edastack serve: --port, --max-threads, --api-port, --function-nice, "
            "--function-yield-ms and --s3-restore-delay-ms take numbers\n");
    return 2;
  }
  if (function_nice < 0 || function_nice > 19) {
    fprintf(stderr, "edastack serve: --function-nice must be 0..19\n");
    return 2;
  }
  if (function_yield_ms < 0 || function_yield_ms > 10000) {
    fprintf(stderr, "edastack serve: --function-yield-ms must be 0..10000\n");
    return 2;
  }
  if (!opts.ephemeral) {
    std::error_code ec;
    std::filesystem::create_directories(opts.data_dir, ec);
    if (ec) {
      fprintf(stderr, "edastack serve: cannot create %s: %s\n", opts.data_dir.c_str(),
              ec.message().c_str());
      return 1;
    }
  }

  SystemClock clock;
  std::unique_ptr<Emulator> emulator;
  try {
    emulator = std::make_unique<Emulator>(opts, clock);
    RegisterAllServices(*emulator);
  } catch (const std::exception& e) {
    fprintf(stderr, "edastack serve: %s\n", e.what());
    return 1;
  }
  HttpServer server(*emulator, http_opts);
  int port = server.Bind();
  if (port <= 0) {
    fprintf(stderr, "edastack serve: cannot bind %s:%d\n", http_opts.host.c_str(), http_opts.port);
    return 1;
  }
  g_server = &server;
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  signal(SIGPIPE, SIG_IGN);
  printf("edastack %s listening on http://%s:%d (%s)\n", EDASTACK_VERSION, http_opts.host.c_str(),
         port, opts.ephemeral ? "ephemeral" : ("data in " + opts.data_dir).c_str());
  fflush(stdout);
  std::unique_ptr<EmbeddedPipeline> pipeline;
  if (!args.Has("no-pipeline")) {
    EmbeddedPipelineOptions popts;
    popts.origin = "http://" + http_opts.host + ":" + std::to_string(port);
    popts.prefix = args.Get("prefix");
    popts.runtime.api_host = args.Get("api-host", http_opts.host);
    popts.runtime.api_port = api_port;
    popts.runtime.function_nice = function_nice;
    popts.runtime.function_yield_ms = function_yield_ms;
    popts.runtime.wait_seconds = 2;  // in-process long polls are cheap; keeps shutdown quick
    pipeline = EmbeddedPipeline::Start(*emulator, popts);
    if (pipeline) {
      printf("edastack pipeline API on http://%s:%d\n", popts.runtime.api_host.c_str(),
             pipeline->api_port());
      fflush(stdout);
    }
  }
  server.Serve();
  g_server = nullptr;
  if (pipeline) pipeline->Stop();
  emulator->Shutdown();
  if (!server.Drained()) {
    // Idle keep-alive connections still hold threads. Every acknowledged write is already
    // committed, so exit now rather than wait out their keep-alive timeout.
    fflush(stdout);
    fflush(stderr);
    std::_Exit(0);
  }
  return 0;
}

}  // namespace edastack::app
