// SnsBackend operations over an in-memory database (no HTTP, no delivery).
#include <catch2/catch.hpp>

#include <set>

#include "emulator/sns/sns_operations.h"
#include "protocol/core/clock.h"
#include "tests/emulator/test_context.h"

using namespace edastack;
using namespace edastack::sns;

namespace {

struct Fixture {
  storage::Database db{":memory:"};
  ManualClock clock;
  SnsBackend backend{db};
  RequestContext Ctx() { return testing::TestContext(clock.NowMillis()); }
  std::string Topic(const std::string& name, std::map<std::string, std::string> attrs = {}) {
    auto r = backend.CreateTopic(Ctx(), {name, attrs, {}});
    REQUIRE(r.ok());
    return r.value();
  }
  std::string SubscribeSqs(const std::string& topic, const std::string& queue,
                           std::map<std::string, std::string> attrs = {}) {
    std::optional<ConfirmationRequest> confirm;
    auto r = backend.Subscribe(Ctx(), {topic, "sqs", "arn:aws:sqs:us-east-1:000000000000:" + queue,
                                       attrs, false},
                               &confirm);
    REQUIRE(r.ok());
    CHECK_FALSE(confirm.has_value());
    return r->subscription_arn;
  }
};

PublishRequest Msg(const std::string& topic, const std::string& text) {
  PublishRequest p;
  p.topic_arn = topic;
  p.entry.message = text;
  return p;
}

}  // namespace

TEST_CASE("CreateTopic is idempotent and rejects different attributes or tags", "[sns]") {
  Fixture f;
  auto a = f.Topic("t1", {{"DisplayName", "one"}});
  CHECK(a == "arn:aws:sns:us-east-1:000000000000:t1");
  CHECK(f.Topic("t1", {{"DisplayName", "one"}}) == a);
  CHECK(f.Topic("t1") == a);
  auto diff = f.backend.CreateTopic(f.Ctx(), {"t1", {{"DisplayName", "two"}}, {}});
  REQUIRE_FALSE(diff.ok());
  CHECK(diff.error().code == "InvalidParameter");
  auto tags = f.backend.CreateTopic(f.Ctx(), {"t1", {}, {{"k", "v"}}});
  REQUIRE_FALSE(tags.ok());
  CHECK(tags.error().code == "InvalidParameter");
}

TEST_CASE("topic names and FIFO attributes are validated", "[sns]") {
  Fixture f;
  for (std::string bad : std::vector<std::string>{"", "a b", "x.fifo", std::string(257, 'a')}) {
    auto r = f.backend.CreateTopic(f.Ctx(), {bad, {}, {}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "InvalidParameter");
    CHECK(r.error().http_status == 400);
  }
  auto notfifo = f.backend.CreateTopic(f.Ctx(), {"plain", {{"FifoTopic", "true"}}, {}});
  CHECK_FALSE(notfifo.ok());
  auto cbd = f.backend.CreateTopic(f.Ctx(), {"plain", {{"ContentBasedDeduplication", "true"}}, {}});
  CHECK_FALSE(cbd.ok());
  auto unknown = f.backend.CreateTopic(f.Ctx(), {"plain", {{"Bogus", "1"}}, {}});
  CHECK_FALSE(unknown.ok());
  auto fifo = f.Topic("f.fifo", {{"FifoTopic", "true"}});
  auto attrs = f.backend.GetTopicAttributes(f.Ctx(), fifo);
  REQUIRE(attrs.ok());
  CHECK(attrs->at("FifoTopic") == "true");
  CHECK(attrs->at("ContentBasedDeduplication") == "false");
  // Nothing was created by the failed calls.
  auto page = f.backend.ListTopics(f.Ctx(), "");
  REQUIRE(page.ok());
  CHECK(page->items.size() == 1);
}

TEST_CASE("ListTopics pages by 100", "[sns]") {
  Fixture f;
  for (int i = 0; i < 230; ++i) f.Topic("t" + std::to_string(i));
  std::vector<std::string> all;
  std::string token;
  int pages = 0;
  do {
    auto page = f.backend.ListTopics(f.Ctx(), token);
    REQUIRE(page.ok());
    all.insert(all.end(), page->items.begin(), page->items.end());
    token = page->next_token;
    ++pages;
  } while (!token.empty());
  CHECK(pages == 3);
  CHECK(all.size() == 230);
  CHECK(std::set<std::string>(all.begin(), all.end()).size() == 230);
  CHECK_FALSE(f.backend.ListTopics(f.Ctx(), "zz").ok());
}

TEST_CASE("topic attributes: counts, set, errors", "[sns]") {
  Fixture f;
  auto t = f.Topic("t1");
  auto s1 = f.SubscribeSqs(t, "q1");
  f.SubscribeSqs(t, "q2");
  std::optional<ConfirmationRequest> confirm;
  auto pending = f.backend.Subscribe(f.Ctx(), {t, "http", "http://127.0.0.1:9/x", {}, false}, &confirm);
  REQUIRE(pending.ok());
  CHECK(pending->subscription_arn == "pending confirmation");
  REQUIRE(confirm.has_value());
  REQUIRE(f.backend.Unsubscribe(f.Ctx(), s1).ok());
  auto attrs = f.backend.GetTopicAttributes(f.Ctx(), t);
  REQUIRE(attrs.ok());
  CHECK(attrs->at("SubscriptionsConfirmed") == "1");
  CHECK(attrs->at("SubscriptionsPending") == "1");
  CHECK(attrs->at("SubscriptionsDeleted") == "1");
  CHECK(attrs->at("Owner") == "000000000000");
  CHECK(attrs->at("TopicArn") == t);
  CHECK(attrs->count("EffectiveDeliveryPolicy") == 1);
  CHECK(attrs->count("Policy") == 1);

  REQUIRE(f.backend.SetTopicAttributes(f.Ctx(), t, "DisplayName", "Hello").ok());
  CHECK(f.backend.GetTopicAttributes(f.Ctx(), t)->at("DisplayName") == "Hello");
  CHECK(f.backend.SetTopicAttributes(f.Ctx(), t, "Nope", "x").error().code == "InvalidParameter");
  CHECK(f.backend.SetTopicAttributes(f.Ctx(), t, "Policy", "{bad").error().code == "InvalidParameter");
  auto missing = f.backend.GetTopicAttributes(f.Ctx(), t + "x");
  CHECK(missing.error().code == "NotFound");
  CHECK(missing.error().http_status == 404);
  CHECK(f.backend.GetTopicAttributes(f.Ctx(), "not-an-arn").error().code == "InvalidParameter");
  // Deleting a missing topic is fine; deleting removes subscriptions.
  CHECK(f.backend.DeleteTopic(f.Ctx(), t + "x").ok());
  CHECK(f.backend.DeleteTopic(f.Ctx(), t).ok());
  CHECK(f.backend.ListSubscriptions(f.Ctx(), "")->items.empty());
}

TEST_CASE("subscriptions: dedupe, confirm by token, attributes", "[sns]") {
  Fixture f;
  auto t = f.Topic("t1");
  auto a = f.SubscribeSqs(t, "q1", {{"RawMessageDelivery", "true"}});
  CHECK(f.SubscribeSqs(t, "q1", {{"RawMessageDelivery", "true"}}) == a);
  std::optional<ConfirmationRequest> confirm;
  auto conflict = f.backend.Subscribe(
      f.Ctx(), {t, "sqs", "arn:aws:sqs:us-east-1:000000000000:q1", {{"RawMessageDelivery", "false"}}, false},
      &confirm);
  CHECK(conflict.error().code == "InvalidParameter");
  CHECK(f.backend.Subscribe(f.Ctx(), {t, "sqs", "not-an-arn", {}, false}, &confirm).error().code ==
        "InvalidParameter");
  CHECK(f.backend.Subscribe(f.Ctx(), {t, "carrier-pigeon", "x", {}, false}, &confirm).error().code ==
        "InvalidParameter");
  CHECK(f.backend.Subscribe(f.Ctx(), {t, "http", "https://x", {}, false}, &confirm).error().code ==
        "InvalidParameter");
  CHECK(f.backend.Subscribe(f.Ctx(), {t + "zz", "sqs", "arn:aws:sqs:us-east-1:000000000000:q", {}, false},
                            &confirm)
            .error()
            .code == "NotFound");
  CHECK(f.backend.Subscribe(f.Ctx(), {t, "sqs", "arn:aws:sqs:us-east-1:000000000000:q.fifo", {}, false},
                            &confirm)
            .error()
            .code == "InvalidParameter");
  CHECK(f.backend.Subscribe(f.Ctx(), {t, "sqs", "arn:aws:sqs:us-east-1:000000000000:q9",
                                      {{"RedrivePolicy", "{\"deadLetterTargetArn\":\"nope\"}"}}, false},
                            &confirm)
            .error()
            .code == "InvalidParameter");

  confirm.reset();
  auto http = f.backend.Subscribe(f.Ctx(), {t, "http", "http://127.0.0.1:1/hook", {}, true}, &confirm);
  REQUIRE(http.ok());
  REQUIRE(confirm.has_value());
  std::string arn = http->subscription_arn;
  CHECK(arn.rfind(t + ":", 0) == 0);
  CHECK(f.backend.GetSubscriptionAttributes(f.Ctx(), arn)->at("PendingConfirmation") == "true");
  auto listed = f.backend.ListSubscriptionsByTopic(f.Ctx(), t, "");
  REQUIRE(listed.ok());
  REQUIRE(listed->items.size() == 2);
  CHECK(listed->items[1].arn == "PendingConfirmation");
  CHECK(f.backend.ConfirmSubscription(f.Ctx(), t, "wrong").error().code == "InvalidParameter");
  auto confirmed = f.backend.ConfirmSubscription(f.Ctx(), t, confirm->sub.token);
  REQUIRE(confirmed.ok());
  CHECK(*confirmed == arn);
  CHECK(f.backend.GetSubscriptionAttributes(f.Ctx(), arn)->at("PendingConfirmation") == "false");

  REQUIRE(f.backend.SetSubscriptionAttributes(f.Ctx(), a, "RawMessageDelivery", "False").ok());
  auto attrs = f.backend.GetSubscriptionAttributes(f.Ctx(), a);
  CHECK(attrs->at("RawMessageDelivery") == "false");
  CHECK(attrs->at("Protocol") == "sqs");
  CHECK(f.backend.SetSubscriptionAttributes(f.Ctx(), a, "FilterPolicyScope", "Body").error().code ==
        "InvalidParameter");
  CHECK(f.backend.SetSubscriptionAttributes(f.Ctx(), a, "FilterPolicy", "[not json").error().code ==
        "InvalidParameter");
  CHECK(f.backend.SetSubscriptionAttributes(f.Ctx(), a, "Unknown", "1").error().code ==
        "InvalidParameter");
  CHECK(f.backend.GetSubscriptionAttributes(f.Ctx(), t + ":nope").error().code == "NotFound");
  CHECK(f.backend.Unsubscribe(f.Ctx(), t + ":nope").ok());
  CHECK(f.backend.Unsubscribe(f.Ctx(), "junk").error().code == "InvalidParameter");
}

TEST_CASE("Publish validates and fans out only to confirmed subscribers", "[sns]") {
  Fixture f;
  auto t = f.Topic("t1");
  std::vector<Fanout> out;
  CHECK(f.backend.Publish(f.Ctx(), Msg(t, "x"), &out).ok());
  CHECK(out.empty());  // no subscribers
  f.SubscribeSqs(t, "q1");
  std::optional<ConfirmationRequest> confirm;
  REQUIRE(f.backend.Subscribe(f.Ctx(), {t, "http", "http://127.0.0.1:1/", {}, false}, &confirm).ok());
  auto r = f.backend.Publish(f.Ctx(), Msg(t, "hello"), &out);
  REQUIRE(r.ok());
  REQUIRE(out.size() == 1);
  CHECK(out[0].subscribers->size() == 1);
  CHECK(out[0].message.message_id == r->message_id);
  CHECK(out[0].message.origin == "http://localhost:4566");

  out.clear();
  CHECK(f.backend.Publish(f.Ctx(), Msg(t + "x", "a"), &out).error().code == "NotFound");
  CHECK(f.backend.Publish(f.Ctx(), Msg(t, ""), &out).error().code == "InvalidParameter");
  CHECK(f.backend.Publish(f.Ctx(), Msg(t, std::string(262145, 'a')), &out).error().code ==
        "InvalidParameter");
  CHECK(f.backend.Publish(f.Ctx(), Msg(t, std::string(262144, 'a')), &out).ok());
  auto structured = Msg(t, "{\"sqs\":\"x\"}");
  structured.entry.message_structure = "json";
  CHECK(f.backend.Publish(f.Ctx(), structured, &out).error().code == "InvalidParameter");
  auto subj = Msg(t, "a");
  subj.entry.subject = "line\nbreak";
  CHECK(f.backend.Publish(f.Ctx(), subj, &out).error().code == "InvalidParameter");
  auto attr = Msg(t, "a");
  attr.entry.attributes["n"] = {"Number", "abc"};
  CHECK(f.backend.Publish(f.Ctx(), attr, &out).error().code == "ParameterValueInvalid");
  attr.entry.attributes["n"] = {"Weird", "1"};
  CHECK(f.backend.Publish(f.Ctx(), attr, &out).error().code == "ParameterValueInvalid");
  attr.entry.attributes["n"] = {"String.Array", "[\"a\", 1]"};
  CHECK(f.backend.Publish(f.Ctx(), attr, &out).ok());
  attr.entry.attributes["n"] = {"String.Array", "not an array"};
  CHECK(f.backend.Publish(f.Ctx(), attr, &out).error().code == "ParameterValueInvalid");
  auto dedup = Msg(t, "a");
  dedup.entry.dedup_id = "d";
  CHECK(f.backend.Publish(f.Ctx(), dedup, &out).error().code == "InvalidParameter");
}

TEST_CASE("FIFO topics: group id required, dedup window, sequence numbers", "[sns]") {
  Fixture f;
  auto t = f.Topic("f.fifo", {{"FifoTopic", "true"}});
  f.SubscribeSqs(t, "q.fifo");
  std::vector<Fanout> out;
  auto p = Msg(t, "one");
  CHECK(f.backend.Publish(f.Ctx(), p, &out).error().message.find("MessageGroupId") != std::string::npos);
  p.entry.group_id = "g";
  CHECK(f.backend.Publish(f.Ctx(), p, &out).error().message.find("ContentBasedDeduplication") !=
        std::string::npos);
  p.entry.dedup_id = "d1";
  auto first = f.backend.Publish(f.Ctx(), p, &out);
  REQUIRE(first.ok());
  CHECK(first->sequence_number.size() == 20);
  REQUIRE(out.size() == 1);
  CHECK(out[0].message.dedup_id == "d1");
  auto dup = f.backend.Publish(f.Ctx(), p, &out);
  REQUIRE(dup.ok());
  CHECK(dup->message_id == first->message_id);
  CHECK(out.size() == 1);  // not delivered again
  f.clock.Advance(5 * 60 * 1000 + 1);
  auto later = f.backend.Publish(f.Ctx(), p, &out);
  REQUIRE(later.ok());
  CHECK(later->message_id != first->message_id);
  CHECK(later->sequence_number > first->sequence_number);
  CHECK(out.size() == 2);
  CHECK(f.backend.SetTopicAttributes(f.Ctx(), t, "ContentBasedDeduplication", "true").ok());
  auto cbd = Msg(t, "body");
  cbd.entry.group_id = "g";
  auto c1 = f.backend.Publish(f.Ctx(), cbd, &out);
  auto c2 = f.backend.Publish(f.Ctx(), cbd, &out);
  REQUIRE(c1.ok());
  CHECK(c1->message_id == c2->message_id);
}

TEST_CASE("PublishBatch: whole-call errors and per-entry failures", "[sns]") {
  Fixture f;
  auto t = f.Topic("t1");
  std::vector<Fanout> out;
  PublishBatchRequest b;
  b.topic_arn = t;
  CHECK(f.backend.PublishBatch(f.Ctx(), b, &out).error().code == "EmptyBatchRequest");
  for (int i = 0; i < 11; ++i) b.entries.push_back({"e" + std::to_string(i), "m", "", "", {}, {}, {}});
  CHECK(f.backend.PublishBatch(f.Ctx(), b, &out).error().code == "TooManyEntriesInBatchRequest");
  b.entries.resize(2);
  b.entries[1].id = "e0";
  CHECK(f.backend.PublishBatch(f.Ctx(), b, &out).error().code == "BatchEntryIdsNotDistinct");
  b.entries[1].id = "bad id!";
  CHECK(f.backend.PublishBatch(f.Ctx(), b, &out).error().code == "InvalidBatchEntryId");
  b.entries[1].id = "e1";
  b.entries[1].message = "";
  auto r = f.backend.PublishBatch(f.Ctx(), b, &out);
  REQUIRE(r.ok());
  REQUIRE(r->successful.size() == 1);
  CHECK(r->successful[0].id == "e0");
  REQUIRE(r->failed.size() == 1);
  CHECK(r->failed[0].id == "e1");
  CHECK(r->failed[0].code == "InvalidParameter");
  CHECK(r->failed[0].sender_fault);
  b.topic_arn = t + "x";
  CHECK(f.backend.PublishBatch(f.Ctx(), b, &out).error().code == "NotFound");
}

TEST_CASE("tags", "[sns]") {
  Fixture f;
  auto t = f.Topic("t1");
  REQUIRE(f.backend.TagResource(f.Ctx(), t, {{"b", "2"}, {"a", "1"}}).ok());
  auto tags = f.backend.ListTagsForResource(f.Ctx(), t);
  REQUIRE(tags->size() == 2);
  CHECK((*tags)[0].first == "a");
  REQUIRE(f.backend.UntagResource(f.Ctx(), t, {"a"}).ok());
  CHECK(f.backend.ListTagsForResource(f.Ctx(), t)->size() == 1);
  CHECK(f.backend.TagResource(f.Ctx(), t + "x", {{"a", "1"}}).error().code == "ResourceNotFound");
  Tags many;
  for (int i = 0; i < 51; ++i) many.emplace_back("k" + std::to_string(i), "v");
  CHECK(f.backend.TagResource(f.Ctx(), t, many).error().code == "TagLimitExceeded");
  CHECK(f.backend.ListTagsForResource(f.Ctx(), t)->size() == 1);
}
