// The SNS ServiceHandler: query-protocol wire glue over SnsBackend, plus delivery.
// Owns the signer (key generated at construction), the backend and the delivery workers.
// Thread-safe. `emu` must outlive the service; Shutdown() stops delivery before the
// database closes.
#pragma once

#include <memory>

#include "emulator/server/service.h"
#include "emulator/sns/sns_delivery.h"
#include "emulator/sns/sns_operations.h"
#include "emulator/sns/sns_signer.h"

namespace edastack {
class Emulator;
}

namespace edastack::sns {

class SnsService : public ServiceHandler {
 public:
  explicit SnsService(Emulator& emu);
  ~SnsService() override;
  http::Response Handle(const RequestContext& ctx, const http::Route& route,
                        http::Request& req) override;
  void OnReset() override;
  // Replays the fan-outs pending in the outbox (oldest first, so FIFO order holds).
  void Start() override;
  void Shutdown() override;

  SnsBackend& backend() { return backend_; }
  const Signer& signer() const { return signer_; }

 private:
  Emulator& emu_;
  Signer signer_;
  SnsBackend backend_;
  Delivery delivery_;
};

}  // namespace edastack::sns
