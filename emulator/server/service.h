// The interface each service's wire binding implements.
#pragma once

#include "emulator/server/context.h"
#include "protocol/http/message.h"
#include "protocol/http/router.h"

namespace edastack {

// Implementations are thread-safe: Handle is called concurrently from server threads.
class ServiceHandler {
 public:
  virtual ~ServiceHandler() = default;
  // Decodes, runs the operation, encodes. Never throws for client mistakes.
  virtual http::Response Handle(const RequestContext& ctx, const http::Route& route,
                                http::Request& req) = 0;
  // After POST /_edastack/reset cleared the tables: drop in-memory state, wake waiters.
  virtual void OnReset() {}
  // Called by the reset while it still holds the database lock, right after the tables were
  // cleared: drop caches of table contents here so no request sees them in between. Must
  // not take the database lock.
  virtual void OnResetLocked() {}
  // Once every service is registered, before serving: replay pending outbox work.
  virtual void Start() {}
  // Stop background work (pollers, deliveries) before the database closes.
  virtual void Shutdown() {}
};

}  // namespace edastack
