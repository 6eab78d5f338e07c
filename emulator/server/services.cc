// The one place that lists the services of this build.
#include "emulator/dynamodb/ddb_service.h"
#include "emulator/events/events_service.h"
#include "emulator/s3/s3_service.h"
#include "emulator/server/emulator.h"
#include "emulator/sns/sns_service.h"
#include "emulator/sqs/sqs_service.h"
#include "emulator/sts/sts_service.h"

namespace edastack {

void RegisterAllServices(Emulator& emu) {
  emu.AddService(http::Service::kSns, std::make_unique<sns::SnsService>(emu));
  emu.AddService(http::Service::kS3, std::make_unique<s3::S3Service>(emu));
  emu.AddService(http::Service::kSts, std::make_unique<sts::StsService>());
  emu.AddService(http::Service::kSqs,
                 std::make_unique<sqs::SqsService>(emu.own_db("sqs"), emu.clock()));
  emu.AddService(http::Service::kEvents, std::make_unique<events::EventsService>(emu));
  auto ddb = std::make_unique<dynamodb::DynamoDbService>(emu.own_db("dynamodb"), emu.clock());
  auto ddb_streams = std::make_unique<dynamodb::StreamsService>(ddb->backend());
  emu.AddService(http::Service::kDynamoDb, std::move(ddb));
  emu.AddService(http::Service::kDynamoDbStreams, std::move(ddb_streams));
  emu.Start();
}

}  // namespace edastack
