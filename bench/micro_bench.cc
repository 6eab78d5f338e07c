// Google Benchmark micro-benchmarks of per-request protocol work.
#include <benchmark/benchmark.h>

#include "protocol/core/crypto.h"
#include "protocol/http/router.h"
#include "protocol/query/params.h"
#include "protocol/sigv4/signer.h"
#include "protocol/sigv4/verifier.h"

using namespace edastack;

static void BM_Md5Body(benchmark::State& state) {
  std::string body(state.range(0), 'x');
  for (auto _ : state) benchmark::DoNotOptimize(crypto::Md5Hex(body));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Md5Body)->Arg(64)->Arg(1024)->Arg(256 * 1024);

static void BM_RouteJson(benchmark::State& state) {
  http::Request r;
  r.method = "POST";
  r.target = "/";
  r.headers.emplace("X-Amz-Target", "AmazonSQS.SendMessage");
  for (auto _ : state) benchmark::DoNotOptimize(http::RouteHeaders(r));
}
BENCHMARK(BM_RouteJson);

static void BM_QueryParams(benchmark::State& state) {
  std::string body =
      "Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq&"
      "MessageBody=hello&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=String&"
      "MessageAttribute.1.Value.StringValue=x";
  for (auto _ : state) {
    auto p = query::Params::FromForm(body);
    benchmark::DoNotOptimize(p.Structs("MessageAttribute"));
  }
}
BENCHMARK(BM_QueryParams);

static void BM_SigV4Verify(benchmark::State& state) {
  http::Request req;
  req.method = "POST";
  req.target = "/";
  req.body = R"({"QueueUrl":"http://localhost:4566/000000000000/q","MessageBody":"hello"})";
  req.headers.emplace("Host", "localhost:4566");
  req.headers.emplace("Content-Type", "application/x-amz-json-1.0");
  req.headers.emplace("X-Amz-Target", "AmazonSQS.SendMessage");
  sigv4::SignRequest(req, {"test", "test", ""}, "us-east-1", "sqs", 1795000000000);
  auto lookup = [](const std::string&) -> std::optional<std::string> { return std::string("test"); };
  for (auto _ : state) benchmark::DoNotOptimize(sigv4::Verify(req, lookup, 1795000000000));
}
BENCHMARK(BM_SigV4Verify);

BENCHMARK_MAIN();
