// The RequestContext that backend tests pass: the default account and region, the
// conventional endpoint, and the test's clock reading.
#pragma once

#include <cstdint>

#include "emulator/server/context.h"

namespace edastack::testing {

inline RequestContext TestContext(int64_t now_ms) {
  RequestContext c;
  c.account = "000000000000";
  c.region = "us-east-1";
  c.request_id = "r";
  c.host = "localhost:4566";
  c.now_ms = now_ms;
  return c;
}

}  // namespace edastack::testing
