// The environment and context the pipeline's function tests run in: fake queue, topic and
// table names, and a FakeStack (fake AWS endpoint + manual clock) behind the typed clients.
#pragma once

#include "pipeline/functions/functions.h"
#include "pipeline/runtime/metrics.h"
#include "tests/pipeline/fake_aws.h"

namespace edastack::pipeline::testing {

inline Environment FakeEnv() {
  Environment env;
  env.topic_arn = "arn:aws:sns:us-east-1:000000000000:main";
  env.notifications_topic_arn = "arn:aws:sns:us-east-1:000000000000:notes";
  env.queue_url = "http://fake/000000000000/main";
  env.dlq_url = "http://fake/000000000000/dlq";
  env.confirmation_queue_url = "http://fake/000000000000/confirm";
  env.ingest_queue_url = "http://fake/000000000000/ingest";
  env.table = "events";
  return env;
}

struct FunctionFixture {
  FakeStack stack;
  Metrics metrics;
  FunctionContext Ctx() { return FunctionContext{stack.apis, FakeEnv(), stack.clock, metrics}; }
};

}  // namespace edastack::pipeline::testing
