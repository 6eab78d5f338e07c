#include "emulator/events/events_service.h"

#include "protocol/core/log.h"

namespace edastack::events {

EventsService::EventsService(Emulator& emu) : emu_(emu) {
  emu_.db().Migrate("events", EventsStore::Migrations());
  sigv4::Credentials creds{"test", "test", ""};
  const auto& configured = emu_.options().credentials;
  if (!configured.empty()) creds = {configured.begin()->first, configured.begin()->second, ""};
  worker_ =
      std::make_unique<DeliveryWorker>([this](http::Request& req) { return emu_.Handle(req); },
                                       &emu_.functions(), creds, emu_.clock(),
                                       &emu_.outbox(), emu_.options().hold_deliveries);
  scheduler_ = std::make_unique<Scheduler>(emu_.db(), emu_.clock(), emu_.outbox(), *worker_);
}

void EventsService::Start() {
  if (emu_.options().hold_deliveries) return;
  size_t n = 0;
  for (auto& row : emu_.outbox().Pending("events")) {
    auto deliveries = DecodeDeliveries(row.payload);
    if (!deliveries) {
      log::Error("events: unreadable outbox row " + std::to_string(row.id) + " dropped");
      emu_.outbox().Done(row.id);
      continue;
    }
    worker_->Enqueue(std::move(*deliveries), row.id);
    ++n;
  }
  if (n) log::Info("events: replaying " + std::to_string(n) + " pending PutEvents calls");
  scheduler_->Start(1000);
}

EventsService::~EventsService() { Shutdown(); }

void EventsService::OnReset() {
  rules_.Invalidate();
  scheduler_->Clear();
  worker_->Clear();
}

void EventsService::Shutdown() {
  if (scheduler_) scheduler_->Stop();
  if (worker_) worker_->Stop();
}

}  // namespace edastack::events
