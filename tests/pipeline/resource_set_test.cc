// The declared resource set.
#include <catch2/catch.hpp>

#include "pipeline/resources/resource_set.h"

#include <nlohmann/json.hpp>

using namespace edastack::pipeline;

TEST_CASE("the declared set has the default names, redrive and retention", "[pipeline][deploy]") {
  ResourceSet set = DeclareResources(ResourceNames());
  CHECK(set.bucket.name == "test-event-driven-files");
  CHECK(set.table.name == "event-driven-events");
  CHECK(set.table.hash_key == "eventId");
  CHECK(set.table.ttl_attribute == "ttl");
  CHECK(set.table.gsi_hash == "status");
  REQUIRE(set.queues.size() == 4);
  CHECK(set.queues[0].name == "event-driven-dlq");  // before the queues redriving to it
  CHECK(set.queues[0].attributes.at("MessageRetentionPeriod") == "1209600");
  CHECK(set.queues[1].name == "event-driven-main-queue");
  CHECK(set.queues[1].dead_letter_queue == "event-driven-dlq");
  CHECK(set.queues[1].max_receive_count == 3);
  CHECK(set.subscriptions.at(0).topic == "event-driven-main-topic");
  CHECK(set.subscriptions.at(0).queue == "event-driven-main-queue");
  CHECK(set.subscriptions.at(0).attributes.at("RawMessageDelivery") == "true");
  auto pattern = nlohmann::json::parse(set.rule.event_pattern);
  CHECK(pattern["source"] == nlohmann::json({"aws.s3"}));
  CHECK(pattern["detail-type"] == nlohmann::json({"Object Created"}));
  CHECK(pattern["detail"]["bucket"]["name"] == nlohmann::json({"test-event-driven-files"}));
  CHECK(set.rule.target_queue == "event-driven-ingest-queue");
}

TEST_CASE("a prefix namespaces every name", "[pipeline][deploy]") {
  ResourceSet set = DeclareResources(NamesWithPrefix("dev"));
  CHECK(set.bucket.name == "dev-test-event-driven-files");
  CHECK(set.queues[1].dead_letter_queue == "dev-event-driven-dlq");
  CHECK(set.rule.name == "dev-event-driven-s3-object-created");
  CHECK(nlohmann::json::parse(set.rule.event_pattern)["detail"]["bucket"]["name"][0] ==
        "dev-test-event-driven-files");
}
