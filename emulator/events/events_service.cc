#include "emulator/events/events_service.h"

namespace edastack::events {

EventsService::EventsService(Emulator& emu) : emu_(emu) {
  emu_.db().Migrate("events", EventsStore::Migrations());
  sigv4::Credentials creds{"test", "test", ""};
  const auto& configured = emu_.options().credentials;
  if (!configured.empty()) creds = {configured.begin()->first, configured.begin()->second, ""};
  worker_ = std::make_unique<DeliveryWorker>(
      [this](http::Request& req) { return emu_.Handle(req); }, &emu_.functions(), creds,
      emu_.clock());
}

EventsService::~EventsService() { Shutdown(); }

void EventsService::OnReset() {
  rules_.Invalidate();
  worker_->Clear();
}

void EventsService::Shutdown() {
  if (worker_) worker_->Stop();
}

}  // namespace edastack::events
