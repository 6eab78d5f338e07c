// The pipeline's commands against any endpoint: deploy, diff, destroy, worker, upload,
// trigger, status.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/aws_connect.h"
#include "app/cli_args.h"
#include "app/commands.h"
#include "pipeline/functions/event.h"
#include "pipeline/resources/deployer.h"
#include "pipeline/runtime/pipeline.h"
#include "protocol/core/ids.h"
#include "protocol/core/log.h"
#include "protocol/core/time_format.h"

namespace edastack::app {
namespace {

using nlohmann::json;

const char* kCommonHelp =
    "  --endpoint URL         the AWS endpoint (default AWS_ENDPOINT_URL, else AWS itself)\n"
    "  --region R             region (default AWS_REGION / AWS_DEFAULT_REGION / profile)\n"
    "  --prefix P             namespace every resource name as P-<name>\n"
    "  --log-level L          debug|info|warn|error (default info)\n";

std::atomic<bool> g_stop{false};
void OnStopSignal(int) { g_stop = true; }

struct Common {
  std::unique_ptr<RemoteAws> aws;
  pipeline::ResourceNames names;
};

// Parses the shared options; prints and returns false on a usage error.
bool Setup(const char* cmd, const std::vector<std::string>& argv, std::set<std::string> known,
           const std::set<std::string>& flags, const std::string& help, Args* out,
           Common* common) {
  *out = Args(argv, flags);
  if (out->Has("help")) {
    printf("%s%s", help.c_str(), kCommonHelp);
    return false;
  }
  for (const char* k : {"endpoint", "region", "prefix", "log-level", "help"}) known.insert(k);
  std::string unknown = out->Unknown(known);
  if (!out->ok() || !unknown.empty()) {
    fprintf(stderr, "edastack %s: %s\n\n%s%s", cmd,
            out->ok() ? ("unknown option " + unknown).c_str() : out->error().c_str(), help.c_str(),
            kCommonHelp);
    return false;
  }
  log::Level level;
  if (!log::ParseLevel(out->Get("log-level", "info"), &level)) {
    fprintf(stderr, "edastack %s: bad --log-level\n", cmd);
    return false;
  }
  log::SetLevel(level);
  auto aws = ConnectRemote(out->Get("endpoint"), out->Get("region"));
  if (!aws.ok()) {
    fprintf(stderr, "edastack %s: %s\n", cmd, aws.error().message.c_str());
    return false;
  }
  common->aws = std::move(aws).value();
  common->names = pipeline::NamesWithPrefix(out->Get("prefix"));
  return true;
}

std::string GuessContentType(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".json", "application/json"}, {".txt", "text/plain"},       {".csv", "text/csv"},
      {".html", "text/html"},        {".xml", "application/xml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"},        {".jpeg", "image/jpeg"},     {".gif", "image/gif"},
      {".pdf", "application/pdf"},   {".zip", "application/zip"}, {".gz", "application/gzip"}};
  for (const auto& t : kTypes)
    if (str::EndsWith(str::ToLower(path), t.first)) return t.second;
  return "application/octet-stream";
}

}  // namespace

int DeployCommand(const std::string& mode, const std::vector<std::string>& argv) {
  std::string help = "usage: edastack " + mode +
                     " [options]\n\n"
                     "  deploy creates the pipeline's resource set idempotently; diff shows what\n"
                     "  deploy would change; destroy removes it.\n\n"
                     "  --s3-notifications M   auto|eventbridge|queue (default auto: EventBridge,\n"
                     "                         else an S3 -> SQS notification as the fallback)\n";
  Args args({}, {});
  Common c;
  if (!Setup(mode.c_str(), argv, {"s3-notifications"}, {"help"}, help, &args, &c))
    return args.Has("help") ? 0 : 2;
  pipeline::S3Delivery delivery;
  if (!pipeline::ParseS3Delivery(args.Get("s3-notifications", "auto"), &delivery)) {
    fprintf(stderr, "edastack %s: --s3-notifications must be auto, eventbridge or queue\n",
            mode.c_str());
    return 2;
  }
  pipeline::Deployer deployer(*c.aws->apis, pipeline::DeclareResources(c.names), delivery);
  pipeline::DeployReport report = mode == "destroy" ? deployer.Destroy()
                                                    : deployer.Deploy(mode == "diff");
  fputs(report.Text().c_str(), stdout);
  return report.ok ? 0 : 1;
}

int WorkerCommand(const std::vector<std::string>& argv) {
  const std::string help =
      "usage: edastack worker [options]\n\n"
      "  Runs the pipeline's HTTP API and functions against another endpoint.\n\n"
      "  --api-host ADDR        API address (default 127.0.0.1)\n"
      "  --api-port N           API port (default 4567; 0 picks a free one)\n"
      "  --no-api               run only the functions\n"
      "  --deploy               deploy the resource set first\n"
      "  --concurrency N        processor poller threads (default 4)\n"
      "  --wait-seconds N       long-poll wait (default 10)\n"
      "  --retry-visibility N   seconds before a failed message is retried (default 1)\n"
      "  --s3-notifications M   with --deploy: auto|eventbridge|queue\n";
  Args args({}, {});
  Common c;
  if (!Setup("worker", argv,
             {"api-host", "api-port", "no-api", "deploy", "concurrency", "wait-seconds",
              "retry-visibility", "s3-notifications"},
             {"help", "no-api", "deploy"}, help, &args, &c))
    return args.Has("help") ? 0 : 2;
  pipeline::PipelineOptions opts;
  try {
    opts.api_port = std::stoi(args.Get("api-port", "4567"));
    opts.processor_concurrency = std::stoi(args.Get("concurrency", "4"));
    opts.wait_seconds = std::stoi(args.Get("wait-seconds", "10"));
    opts.retry_visibility_seconds = std::stoi(args.Get("retry-visibility", "1"));
  } catch (...) {
    fprintf(stderr, "edastack worker: numeric options take numbers\n");
    return 2;
  }
  opts.api = !args.Has("no-api");
  opts.api_host = args.Get("api-host", "127.0.0.1");
  pipeline::S3Delivery delivery;
  if (!pipeline::ParseS3Delivery(args.Get("s3-notifications", "auto"), &delivery)) {
    fprintf(stderr, "edastack worker: bad --s3-notifications\n");
    return 2;
  }
  pipeline::Deployer deployer(*c.aws->apis, pipeline::DeclareResources(c.names), delivery);
  if (args.Has("deploy")) {
    auto report = deployer.Deploy();
    fputs(report.Text().c_str(), stderr);
    if (!report.ok) return 1;
  }
  auto env = deployer.Resolve();
  if (!env.ok()) {
    fprintf(stderr, "edastack worker: %s (run `edastack deploy` first)\n",
            env.error().message.c_str());
    return 1;
  }
  pipeline::Pipeline pipeline(*c.aws->apis, *env, c.aws->clock, opts);
  Status started = pipeline.Start();
  if (!started.ok()) {
    fprintf(stderr, "edastack worker: %s\n", started.error().message.c_str());
    return 1;
  }
  signal(SIGINT, OnStopSignal);
  signal(SIGTERM, OnStopSignal);
  signal(SIGPIPE, SIG_IGN);
  if (opts.api)
    printf("edastack worker: API on http://%s:%d, functions on %s\n", opts.api_host.c_str(),
           pipeline.api_port(), c.aws->endpoint.c_str());
  else
    printf("edastack worker: functions on %s\n", c.aws->endpoint.c_str());
  fflush(stdout);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  pipeline.Stop();
  return 0;
}

int UploadCommand(const std::vector<std::string>& argv) {
  const std::string help =
      "usage: edastack upload FILE [options]\n\n"
      "  Uploads FILE to the pipeline's bucket; prints the key, ETag and eventId.\n\n"
      "  --key K                object key (default the file name)\n"
      "  --content-type T       default guessed from the extension\n";
  Args args({}, {});
  Common c;
  if (!Setup("upload", argv, {"key", "content-type"}, {"help"}, help, &args, &c))
    return args.Has("help") ? 0 : 2;
  if (args.positional().size() != 1) {
    fprintf(stderr, "edastack upload: give exactly one FILE\n");
    return 2;
  }
  const std::string path = args.positional()[0];
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fprintf(stderr, "edastack upload: cannot read %s\n", path.c_str());
    return 1;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string key = args.Get("key", path.substr(path.find_last_of('/') + 1));
  std::string type = args.Get("content-type", GuessContentType(path));
  auto etag = c.aws->apis->s3.PutObject(c.names.bucket, key, ss.str(), type);
  if (!etag.ok()) {
    fprintf(stderr, "edastack upload: %s: %s\n", etag.error().code.c_str(),
            etag.error().message.c_str());
    return 1;
  }
  json out = {{"bucket", c.names.bucket},
              {"key", key},
              {"etag", *etag},
              {"eventId", pipeline::S3EventId(c.names.bucket, key, *etag)}};
  printf("%s\n", out.dump().c_str());
  return 0;
}

int TriggerCommand(const std::vector<std::string>& argv) {
  const std::string help =
      "usage: edastack trigger --type T --payload JSON [options]\n\n"
      "  Publishes a pipeline event to the main topic; prints its eventId.\n\n"
      "  --event-id ID          default a new UUID\n"
      "  --source S             default \"trigger\"\n";
  Args args({}, {});
  Common c;
  if (!Setup("trigger", argv, {"type", "payload", "event-id", "source"}, {"help"}, help, &args,
             &c))
    return args.Has("help") ? 0 : 2;
  json payload = json::parse(args.Get("payload", "{}"), nullptr, false);
  if (args.Get("type").empty() || !payload.is_object()) {
    fprintf(stderr, "edastack trigger: --type is required and --payload must be a JSON object\n");
    return 2;
  }
  pipeline::Deployer deployer(*c.aws->apis, pipeline::DeclareResources(c.names));
  auto env = deployer.Resolve();
  if (!env.ok()) {
    fprintf(stderr, "edastack trigger: %s\n", env.error().message.c_str());
    return 1;
  }
  pipeline::PipelineEvent e;
  e.event_id = args.Get("event-id", ids::Uuid());
  e.type = args.Get("type");
  e.source = args.Get("source", "trigger");
  e.payload = payload;
  e.timestamp = timefmt::Iso8601Millis(c.aws->clock.NowMillis());
  pipeline::Metrics metrics;
  pipeline::FunctionContext ctx{*c.aws->apis, *env, c.aws->clock, metrics};
  auto id = pipeline::PublishEvent(ctx, e);
  if (!id.ok()) {
    fprintf(stderr, "edastack trigger: %s: %s\n", id.error().code.c_str(),
            id.error().message.c_str());
    return 1;
  }
  printf("%s\n", json({{"eventId", e.event_id}, {"messageId", *id}}).dump().c_str());
  return 0;
}

int StatusCommand(const std::vector<std::string>& argv) {
  const std::string help =
      "usage: edastack status [options]\n\n"
      "  Resources, queue depths, the DLQ count and recent events with their states.\n";
  Args args({}, {});
  Common c;
  if (!Setup("status", argv, {}, {"help"}, help, &args, &c)) return args.Has("help") ? 0 : 2;
  pipeline::Deployer deployer(*c.aws->apis, pipeline::DeclareResources(c.names));
  auto report = deployer.Deploy(/*dry_run=*/true);
  printf("resources:\n");
  for (const auto& ch : report.changes) {
    std::string state = ch.action == "unchanged"      ? "deployed"
                        : ch.action == "would create" ? "missing"
                        : ch.action == "would update" ? "drifted"
                                                      : ch.action;
    printf("  %-9s %-13s %s%s\n", state.c_str(), ch.kind.c_str(), ch.name.c_str(),
           ch.detail.empty() ? "" : ("  (" + ch.detail + ")").c_str());
  }
  auto env = deployer.Resolve();
  if (!env.ok()) {
    printf("pipeline not (fully) deployed: %s\n", env.error().message.c_str());
    return 1;
  }
  printf("queues:\n");
  std::pair<std::string, std::string> queues[] = {{env->names.queue, env->queue_url},
                                                  {env->names.dlq, env->dlq_url},
                                                  {env->names.confirmation_queue,
                                                   env->confirmation_queue_url},
                                                  {env->names.ingest_queue, env->ingest_queue_url}};
  for (const auto& q : queues) {
    auto a = c.aws->apis->sqs.GetQueueAttributes(
        q.second, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"});
    if (!a.ok()) continue;
    printf("  %-40s visible %s  in flight %s\n", q.first.c_str(),
           (*a)["ApproximateNumberOfMessages"].c_str(),
           (*a)["ApproximateNumberOfMessagesNotVisible"].c_str());
  }
  auto scan = c.aws->apis->dynamodb.Scan({{"TableName", env->table}});
  if (scan.ok()) {
    std::vector<json> items;
    for (const auto& it : scan->value("Items", json::array()))
      items.push_back(pipeline::aws::FromItem(it));
    std::sort(items.begin(), items.end(), [](const json& a, const json& b) {
      return a.value("updatedAt", "") > b.value("updatedAt", "");
    });
    printf("events: %zu in the table; most recent:\n", items.size());
    for (size_t i = 0; i < items.size() && i < 20; ++i)
      printf("  %-40s %-10s %-24s %s\n", items[i].value("eventId", "").c_str(),
             items[i].value("status", "").c_str(), items[i].value("type", "").c_str(),
             items[i].value("updatedAt", "").c_str());
  }
  return 0;
}

}  // namespace edastack::app
