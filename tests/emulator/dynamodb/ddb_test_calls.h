// Calls into a DynamoDb backend as its wire binding does, for the operation tests: a fixture
// derives from DdbCalls and says which backend to call.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "emulator/dynamodb/operations.h"
#include "protocol/core/clock.h"
#include "tests/emulator/test_context.h"

namespace edastack::testing {

struct DdbCalls {
  ManualClock clock;

  virtual ~DdbCalls() = default;
  virtual dynamodb::DynamoDb& Ddb() = 0;

  RequestContext Ctx() { return TestContext(clock.NowMillis()); }
  Result<dynamodb::Json> Call(const std::string& op, const std::string& body,
                              bool streams = false) {
    return Ddb().Call(op, dynamodb::Json::parse(body), Ctx(), streams);
  }
  // The answer of a call that must succeed (the test fails with the error otherwise).
  dynamodb::Json Ok(const std::string& op, const std::string& body, bool streams = false) {
    auto r = Call(op, body, streams);
    INFO(op << " " << body);
    if (!r.ok()) FAIL(r.error().code + ": " + r.error().message);
    return r.value();
  }
  // "Code: message" of a call that failed, or "" when it succeeded.
  std::string Err(const std::string& op, const std::string& body) {
    auto r = Call(op, body);
    return r.ok() ? "" : r.error().code + ": " + r.error().message;
  }
};

}  // namespace edastack::testing
