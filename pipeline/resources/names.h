// Default names of the pipeline's resources (SEED.md), namespaced by an optional prefix.
#pragma once

#include <string>

namespace edastack::pipeline {

struct ResourceNames {
  std::string bucket = "test-event-driven-files";
  std::string topic = "event-driven-main-topic";
  std::string notifications_topic = "event-driven-notifications-topic";
  std::string queue = "event-driven-main-queue";
  std::string dlq = "event-driven-dlq";
  std::string confirmation_queue = "event-driven-confirmation-queue";
  std::string table = "event-driven-events";
  std::string ingest_queue = "event-driven-ingest-queue";
  std::string rule = "event-driven-s3-object-created";
};

// With a non-empty prefix every name becomes "<prefix>-<name>".
ResourceNames NamesWithPrefix(const std::string& prefix);

}  // namespace edastack::pipeline
