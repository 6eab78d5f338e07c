// The one place that lists the services of this build.
#include "emulator/server/emulator.h"
#include "emulator/sns/sns_service.h"
#include "emulator/sts/sts_service.h"

namespace edastack {

void RegisterAllServices(Emulator& emu) {
  emu.AddService(http::Service::kSns, std::make_unique<sns::SnsService>(emu));
  emu.AddService(http::Service::kSts, std::make_unique<sts::StsService>());
}

}  // namespace edastack
