// The wire bindings of DynamoDB (DynamoDB_20120810.*) and DynamoDB Streams
// (DynamoDBStreams_20120810.*): JSON 1.0 in and out, `x-amz-crc32` over the exact body.
//
// DynamoDbService owns the DynamoDb backend and the TTL sweeper thread (AWS deletes
// expired items in the background too; reads hide them from the moment they expire).
// StreamsService borrows the backend and must not outlive the DynamoDbService.
// Both are thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "emulator/dynamodb/operations.h"
#include "emulator/server/service.h"
#include "protocol/core/clock.h"

namespace edastack::dynamodb {

// Renders a body or an error as DynamoDB does, with x-amz-crc32.
http::Response RenderDdb(const Result<Json>& res, const RequestContext& ctx);

class DynamoDbService : public ServiceHandler {
 public:
  // `db` and `clock` must outlive this object. `sweep_interval_ms` 0 disables the sweeper.
  DynamoDbService(storage::Database& db, const Clock& clock, int64_t sweep_interval_ms = 1000);
  ~DynamoDbService() override;

  http::Response Handle(const RequestContext& ctx, const http::Route& route,
                        http::Request& req) override;
  void Shutdown() override;
  void OnResetLocked() override { backend_->ResetCachesLocked(); }
  DynamoDb& backend() { return *backend_; }

 private:
  void SweepLoop();

  std::unique_ptr<DynamoDb> backend_;
  const Clock& clock_;
  int64_t sweep_interval_ms_;
  std::thread sweeper_;
  // Guarded by mu_:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

class StreamsService : public ServiceHandler {
 public:
  explicit StreamsService(DynamoDb& backend) : backend_(backend) {}
  http::Response Handle(const RequestContext& ctx, const http::Route& route,
                        http::Request& req) override;

 private:
  DynamoDb& backend_;
};

}  // namespace edastack::dynamodb
