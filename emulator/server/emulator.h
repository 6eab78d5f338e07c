// The emulator: owns the databases, the clock reference and every service, and turns one
// http::Request into one http::Response (routing, auth, dispatch, error rendering).
// Thread-safe. Used by the HTTP server and, through the in-process transport, by the
// pipeline.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "emulator/functions/function_registry.h"
#include "emulator/server/service.h"
#include "emulator/storage/database.h"
#include "emulator/storage/move_component.h"
#include "emulator/storage/outbox.h"
#include "protocol/core/clock.h"

namespace edastack {

struct EmulatorOptions {
  std::string data_dir;          // empty with ephemeral
  bool ephemeral = false;
  std::string region = "us-east-1";
  std::string account = "000000000000";
  bool auth_sigv4 = false;
  std::map<std::string, std::string> credentials = {{"test", "test"}};  // key -> secret
  // Test only (EDASTACK_TEST_HOLD_DELIVERIES=1 on `serve`): fan-out work is written to the
  // outbox but never dispatched or replayed by this process, so a test can kill -9 with
  // every acknowledged delivery still pending and check that a restart delivers it.
  bool hold_deliveries = false;
  // S3 RestoreObject: how long after the request the restored copy of a GLACIER /
  // DEEP_ARCHIVE object becomes readable, for every tier (AWS takes minutes to hours:
  // Expedited 1-5 min, Standard 3-5 h, Bulk 5-12 h; `serve --s3-restore-delay-ms`).
  int64_t s3_restore_delay_ms = 3000;
};

// A service that keeps its tables in a database file of its own (Emulator::own_db).
struct OwnDatabase {
  const char* component;     // its migrations' component name, and the own_db() key
  const char* table_prefix;  // every table and index of the service starts with it
  const char* file;          // in the data directory
};

class Emulator {
 public:
  // SQS and DynamoDB: the services the pipeline's functions call most, each with its own
  // lock. SNS, S3 and EventBridge stay in edastack.db with the outbox, which their writes
  // must share a transaction with.
  static const std::vector<OwnDatabase> kOwnDatabases;

  // Opens (and migrates) the database; throws storage::Error when it cannot.
  Emulator(EmulatorOptions options, const Clock& clock);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  http::Response Handle(http::Request& req);

  // Registers a service; the emulator owns it. Call before serving.
  void AddService(http::Service id, std::unique_ptr<ServiceHandler> handler);
  ServiceHandler* service(http::Service id);
  // After every service is registered (RegisterAllServices calls it): each service replays
  // its pending outbox rows and starts dispatching.
  void Start();

  storage::Database& db() { return *db_; }
  // The database of a service that keeps its own (its own file and lock, see
  // kOwnDatabases), so that its calls and other services' calls do not wait for one another.
  // `service` is its component name ("sqs", "dynamodb").
  storage::Database& own_db(const std::string& service) { return *own_dbs_.at(service); }
  // Pending deliveries (SNS, EventBridge, S3 notifications); see storage/outbox.h.
  storage::Outbox& outbox() { return *outbox_; }
  // In-process functions (Lambda stand-ins) that notifications and targets invoke.
  FunctionRegistry& functions() { return functions_; }
  const Clock& clock() const { return clock_; }
  const EmulatorOptions& options() const { return options_; }
  std::vector<std::string> ServiceNames() const;
  void Reset();
  void Shutdown();

 private:
  http::Response HandleAdmin(const RequestContext& ctx, http::Request& req);
  http::Response RenderError(const http::Route& route, const AwsError& e,
                             const RequestContext& ctx, const http::Request& req);

  const EmulatorOptions options_;
  const Clock& clock_;
  std::unique_ptr<storage::Database> db_;
  std::map<std::string, std::unique_ptr<storage::Database>> own_dbs_;
  std::unique_ptr<storage::Outbox> outbox_;  // after db_, before services_ (outlives tokens)
  std::map<http::Service, std::unique_ptr<ServiceHandler>> services_;
  FunctionRegistry functions_;
};

// Wires every service of this build into `emu` (defined in emulator/server/services.cc).
void RegisterAllServices(Emulator& emu);

}  // namespace edastack
