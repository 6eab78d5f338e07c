// The SQS ServiceHandler: JSON 1.0 (X-Amz-Target: AmazonSQS.<Op>) and query protocol
// (Action=<Op>, POSTed to / or to the queue path), answered in the request's protocol.
// Owns the SqsBackend; borrows the Database and Clock. Thread-safe.
#pragma once

#include <memory>

#include "emulator/server/service.h"
#include "emulator/sqs/sqs_backend.h"

namespace edastack::sqs {

class SqsService : public ServiceHandler {
 public:
  SqsService(storage::Database& db, const Clock& clock);

  http::Response Handle(const RequestContext& ctx, const http::Route& route,
                        http::Request& req) override;
  void OnReset() override { backend_.OnReset(); }
  void Shutdown() override { backend_.Shutdown(); }

  SqsBackend& backend() { return backend_; }

 private:
  SqsBackend backend_;
};

}  // namespace edastack::sqs
