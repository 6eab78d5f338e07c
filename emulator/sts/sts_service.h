// STS: GetCallerIdentity over the query protocol (PROTOCOLS.md §7). Stateless, thread-safe.
#pragma once

#include "emulator/server/service.h"

namespace edastack::sts {

struct CallerIdentity {
  std::string account, arn, user_id;
};

// The identity AWS reports for the root credentials of `account`.
CallerIdentity GetCallerIdentity(const RequestContext& ctx);

class StsService : public ServiceHandler {
 public:
  http::Response Handle(const RequestContext& ctx, const http::Route& route,
                        http::Request& req) override;
};

}  // namespace edastack::sts
