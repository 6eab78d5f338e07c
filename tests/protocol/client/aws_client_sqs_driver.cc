// Proves the AWS client (protocol/client/aws_client.h) with real SQS calls through:
//   1. the in-process transport into an Emulator built here with RegisterAllServices,
//   2. the HTTP transport to a running `edastack serve --port 0 --ephemeral` (argv[1]),
//   3. the HTTP transport to `moto_server` (skipped, with a message, when not on PATH).
// Each leg runs the same scenario in both SQS protocols (JSON 1.0 and query). Exits non-zero
// on the first failed check. Registered in tests/CMakeLists.txt as a ctest.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "emulator/server/emulator.h"
#include "protocol/client/aws_client.h"
#include "protocol/core/crypto.h"

using namespace edastack;

namespace {

int g_failures = 0;

#define CHECK(cond, what)                                                          \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      fprintf(stderr, "  FAIL [%s] %s (line %d)\n", label.c_str(), what, __LINE__); \
      ++g_failures;                                                                \
      return;                                                                      \
    }                                                                              \
  } while (0)

void Scenario(client::AwsClient& c, const std::string& label) {
  const std::string name = "client-proof-" + std::to_string(getpid());
  // JSON 1.0
  auto created = c.CallJson("sqs", "AmazonSQS.CreateQueue", {{"QueueName", name}});
  CHECK(created.ok(), ("CreateQueue: " + (created.ok() ? "" : created.error().message)).c_str());
  std::string url = (*created)["QueueUrl"];
  CHECK(url.size() > name.size() && url.substr(url.size() - name.size()) == name, "queue URL");
  auto sent = c.CallJson("sqs", "AmazonSQS.SendMessage",
                         {{"QueueUrl", url},
                          {"MessageBody", "hello"},
                          {"MessageAttributes", {{"a", {{"DataType", "String"}, {"StringValue", "x"}}}}}});
  CHECK(sent.ok(), "SendMessage");
  CHECK((*sent)["MD5OfMessageBody"] == "5d41402abc4b2a76b9719d911017c592", "body MD5");
  CHECK((*sent)["MD5OfMessageAttributes"] == "a512aac9938034acb0b3c3d965944bf1", "attribute MD5");
  auto got = c.CallJson("sqs", "AmazonSQS.ReceiveMessage",
                        {{"QueueUrl", url}, {"MessageAttributeNames", {"All"}}, {"WaitTimeSeconds", 1}});
  CHECK(got.ok() && got->contains("Messages") && (*got)["Messages"].size() == 1, "ReceiveMessage");
  const auto& m = (*got)["Messages"][0];
  CHECK(m["Body"] == "hello" && m["MD5OfBody"] == "5d41402abc4b2a76b9719d911017c592", "received");
  auto del = c.CallJson("sqs", "AmazonSQS.DeleteMessage",
                        {{"QueueUrl", url}, {"ReceiptHandle", m["ReceiptHandle"]}});
  CHECK(del.ok(), "DeleteMessage");
  auto missing = c.CallJson("sqs", "AmazonSQS.GetQueueUrl", {{"QueueName", "no-such-queue-x"}});
  CHECK(!missing.ok(), "GetQueueUrl on a missing queue fails");
  CHECK(missing.error().code == "QueueDoesNotExist" ||
            missing.error().code == "AWS.SimpleQueueService.NonExistentQueue",
        ("error code " + missing.error().code).c_str());
  CHECK(missing.error().http_status == 400, "error status 400");

  // Query protocol against the same queue.
  auto q = c.CallQuery("sqs", "2012-11-05", "SendMessage",
                       {{"QueueUrl", url}, {"MessageBody", "via query"}});
  CHECK(q.ok(), ("query SendMessage: " + (q.ok() ? "" : q.error().message)).c_str());
  CHECK(q->Find("SendMessageResult") != nullptr, "query <SendMessageResult> wrapper");
  const xml::Node* md5 = q->Find("MD5OfMessageBody");
  CHECK(md5 && md5->text == crypto::Md5Hex("via query"), "query MD5OfMessageBody");
  auto r = c.CallQuery("sqs", "2012-11-05", "ReceiveMessage", {{"QueueUrl", url}});
  CHECK(r.ok(), "query ReceiveMessage");
  const xml::Node* body = r->Find("Body");
  CHECK(body && body->text == "via query", "query body");
  auto qerr = c.CallQuery("sqs", "2012-11-05", "GetQueueUrl", {{"QueueName", "no-such-queue-x"}});
  CHECK(!qerr.ok() && qerr.error().QueryCode().find("NonExistentQueue") != std::string::npos,
        "query error code");
  auto gone = c.CallJson("sqs", "AmazonSQS.DeleteQueue", {{"QueueUrl", url}});
  CHECK(gone.ok(), "DeleteQueue");
  fprintf(stderr, "  ok [%s]\n", label.c_str());
}

client::ClientConfig Config(const std::string& endpoint) {
  client::ClientConfig cfg;
  cfg.credentials.access_key = "test";
  cfg.credentials.secret_key = "test";
  cfg.region = "us-east-1";
  cfg.endpoint = endpoint;
  return cfg;
}

void RunHttp(const std::string& endpoint, const std::string& label) {
  auto ep = client::ParseEndpoint(endpoint);
  if (!ep.ok()) {
    fprintf(stderr, "  FAIL [%s] bad endpoint %s\n", label.c_str(), endpoint.c_str());
    ++g_failures;
    return;
  }
  auto transport = client::MakeHttpTransport(ep.value(), 30000);
  SystemClock clock;
  client::AwsClient c(*transport, Config(endpoint), clock);
  Scenario(c, label);
}

// Spawns argv; returns its pid, with its stdout readable from *out_fd when asked.
pid_t Spawn(const std::vector<std::string>& argv, int* out_fd) {
  int fds[2] = {-1, -1};
  if (out_fd && pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    if (out_fd) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
    } else {
      freopen("/dev/null", "w", stdout);
      freopen("/dev/null", "w", stderr);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  if (out_fd) {
    close(fds[1]);
    *out_fd = fds[0];
  }
  return pid;
}

void Stop(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

bool CanConnect(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(s);
  return ok;
}

int FreePort() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  close(s);
  return port;
}

bool OnPath(const std::string& prog) {
  const char* path = getenv("PATH");
  if (!path) return false;
  for (const auto& dir : str::Split(path, ':'))
    if (!dir.empty() && access((dir + "/" + prog).c_str(), X_OK) == 0) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  // 1. In-process transport into an Emulator constructed here.
  {
    SystemClock clock;
    EmulatorOptions opts;
    opts.ephemeral = true;
    Emulator emu(opts, clock);
    RegisterAllServices(emu);
    auto transport = client::MakeInProcessTransport(
        [&emu](const http::Request& req) {
          http::Request copy = req;
          return emu.Handle(copy);
        },
        "http://localhost:4566");
    client::AwsClient c(*transport, Config("http://localhost:4566"), clock);
    Scenario(c, "in-process edastack");
  }

  // 2. HTTP transport to a running edastack.
  if (argc > 1) {
    int fd = -1;
    pid_t pid = Spawn({argv[1], "serve", "--port", "0", "--ephemeral", "--log-level", "warn"}, &fd);
    std::string line;
    char ch;
    while (read(fd, &ch, 1) == 1 && ch != '\n') line += ch;
    size_t colon = line.rfind(':');
    int port = colon == std::string::npos ? 0 : atoi(line.c_str() + colon + 1);
    if (port <= 0) {
      fprintf(stderr, "  FAIL edastack did not start: %s\n", line.c_str());
      ++g_failures;
    } else {
      RunHttp("http://127.0.0.1:" + std::to_string(port), "http edastack");
    }
    Stop(pid);
    close(fd);
  } else {
    fprintf(stderr, "  FAIL usage: %s <path to edastack>\n", argv[0]);
    ++g_failures;
  }

  // 3. HTTP transport to moto_server.
  if (!OnPath("moto_server")) {
    fprintf(stderr, "  SKIP [moto_server] moto_server is not on PATH\n");
  } else {
    int port = FreePort();
    pid_t pid = Spawn({"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)}, nullptr);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!CanConnect(port) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!CanConnect(port)) {
      fprintf(stderr, "  FAIL moto_server did not start on port %d\n", port);
      ++g_failures;
    } else {
      RunHttp("http://127.0.0.1:" + std::to_string(port), "http moto_server");
    }
    Stop(pid);
  }
  fprintf(stderr, g_failures ? "FAILED (%d)\n" : "all passed\n", g_failures);
  return g_failures ? 1 : 0;
}
