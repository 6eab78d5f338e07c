// The one place that lists the services of this build.
#include "emulator/events/events_service.h"
#include "emulator/server/emulator.h"
#include "emulator/sqs/sqs_service.h"
#include "emulator/sts/sts_service.h"

namespace edastack {

void RegisterAllServices(Emulator& emu) {
  emu.AddService(http::Service::kSts, std::make_unique<sts::StsService>());
  emu.AddService(http::Service::kSqs, std::make_unique<sqs::SqsService>(emu.db(), emu.clock()));
  emu.AddService(http::Service::kEvents, std::make_unique<events::EventsService>(emu));
}

}  // namespace edastack
