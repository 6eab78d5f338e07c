// The one place that lists the services of this build.
#include "emulator/dynamodb/ddb_service.h"
#include "emulator/server/emulator.h"
#include "emulator/sts/sts_service.h"

namespace edastack {

void RegisterAllServices(Emulator& emu) {
  emu.AddService(http::Service::kSts, std::make_unique<sts::StsService>());
  auto ddb = std::make_unique<dynamodb::DynamoDbService>(emu.db(), emu.clock());
  auto ddb_streams = std::make_unique<dynamodb::StreamsService>(ddb->backend());
  emu.AddService(http::Service::kDynamoDb, std::move(ddb));
  emu.AddService(http::Service::kDynamoDbStreams, std::move(ddb_streams));
}

}  // namespace edastack
