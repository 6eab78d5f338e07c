// The one place that lists the services of this build.
#include "emulator/server/emulator.h"
#include "emulator/s3/s3_service.h"
#include "emulator/sts/sts_service.h"

namespace edastack {

void RegisterAllServices(Emulator& emu) {
  emu.AddService(http::Service::kS3, std::make_unique<s3::S3Service>(emu));
  emu.AddService(http::Service::kSts, std::make_unique<sts::StsService>());
}

}  // namespace edastack
