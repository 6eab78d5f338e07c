// Envelope, signature and delivery through Emulator::Handle to a fake SQS service.
#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "emulator/server/emulator.h"
#include "emulator/sns/sns_delivery.h"
#include "emulator/sns/sns_message.h"
#include "emulator/sns/sns_service.h"
#include "protocol/core/crypto.h"
#include "protocol/core/strings.h"

using namespace edastack;
using namespace edastack::sns;

namespace {

// Records SQS wire requests, a SendMessageBatch as one record per entry (with the batch's
// QueueUrl and target); answers 400 QueueDoesNotExist for queues named "gone*", and fails
// batch entries whose body contains "reject" (a sender fault). Hold() makes the next request
// wait until Release(), so a test can pile up fan-outs behind it.
class FakeSqs : public ServiceHandler {
 public:
  http::Response Handle(const RequestContext& ctx, const http::Route& route,
                        http::Request& req) override {
    http::Response res;
    auto j = nlohmann::json::parse(req.body);
    std::string url = j["QueueUrl"];
    if (url.find("/gone") != std::string::npos) {
      res.status = 400;
      res.body = R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"x"})";
      return res;
    }
    std::unique_lock<std::mutex> lock(mu_);
    std::string target = req.Header("X-Amz-Target");
    res.body = "{}";
    if (j.contains("Entries")) {
      ++batches_;
      nlohmann::json failed = nlohmann::json::array();
      for (auto e : j["Entries"]) {
        if (e["MessageBody"].get<std::string>().find("reject") != std::string::npos) {
          failed.push_back({{"Id", e["Id"]}, {"Code", "InvalidMessageContents"},
                            {"Message", "no"}, {"SenderFault", true}});
          continue;
        }
        e["QueueUrl"] = url;
        requests_.push_back({target, e});
      }
      res.body = nlohmann::json{{"Successful", nlohmann::json::array()}, {"Failed", failed}}.dump();
    } else {
      requests_.push_back({target, j});
    }
    cv_.notify_all();
    cv_.wait(lock, [&] { return !hold_; });
    return res;
  }
  // Waits until n requests arrived (or 5 s).
  std::vector<std::pair<std::string, nlohmann::json>> WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(5), [&] { return requests_.size() >= n; });
    return requests_;
  }
  void Hold() {
    std::lock_guard<std::mutex> g(mu_);
    hold_ = true;
  }
  void Release() {
    std::lock_guard<std::mutex> g(mu_);
    hold_ = false;
    cv_.notify_all();
  }
  int Batches() {
    std::lock_guard<std::mutex> g(mu_);
    return batches_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, nlohmann::json>> requests_;
  bool hold_ = false;
  int batches_ = 0;
};

struct World {
  ManualClock clock;
  std::unique_ptr<Emulator> emu;
  FakeSqs* sqs = nullptr;
  World() {
    EmulatorOptions o;
    o.ephemeral = true;
    emu = std::make_unique<Emulator>(o, clock);
    emu->AddService(http::Service::kSns, std::make_unique<SnsService>(*emu));
    auto fake = std::make_unique<FakeSqs>();
    sqs = fake.get();
    emu->AddService(http::Service::kSqs, std::move(fake));
  }
  ~World() { emu->Shutdown(); }
  http::Response Call(const std::string& form) {
    http::Request req;
    req.method = "POST";
    req.target = "/";
    req.headers.emplace("Host", "localhost:4566");
    req.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
    req.body = "Version=2010-03-31&" + form;
    return emu->Handle(req);
  }
  std::string Extract(const std::string& xml, const std::string& tag) {
    auto a = xml.find("<" + tag + ">");
    auto b = xml.find("</" + tag + ">");
    REQUIRE(a != std::string::npos);
    return xml.substr(a + tag.size() + 2, b - a - tag.size() - 2);
  }
};

bool VerifyWithCertificate(const std::string& pem, const std::string& text,
                           const std::string& sig_b64, const EVP_MD* md) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!cert) return false;
  EVP_PKEY* key = X509_get_pubkey(cert);
  auto sig = crypto::Base64Decode(sig_b64);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = sig && EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                             reinterpret_cast<const unsigned char*>(text.data()), text.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  X509_free(cert);
  return ok;
}

}  // namespace

TEST_CASE("notification envelope: key order, signature over AWS's canonical string", "[sns]") {
  Signer signer;
  PublishedMessage m;
  m.message_id = "id-1";
  m.topic_arn = "arn:aws:sns:us-east-1:000000000000:t1";
  m.entry.subject = "subj";
  m.entry.attributes["color"] = {"String", "red"};
  m.entry.attributes["bin"] = {"Binary", std::string("\x00\x01", 2)};
  m.entry.attributes["arr"] = {"String.Array", "[\"a\",\"b\"]"};
  m.timestamp_ms = 1795000000123;
  EnvelopeLinks links{"http://h/cert.pem", "http://h/?Action=Unsubscribe", "1", ""};
  std::string text = NotificationJson(m, "hello \"sns\"", links, signer);
  auto j = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"Type", "MessageId", "TopicArn", "Subject", "Message",
                                         "Timestamp", "SignatureVersion", "Signature",
                                         "SigningCertURL", "UnsubscribeURL", "MessageAttributes"});
  CHECK(j["Timestamp"] == "2026-11-18T11:06:40.123Z");
  CHECK(j["MessageAttributes"]["bin"]["Value"] == "AAE=");
  CHECK(j["MessageAttributes"]["arr"]["Type"] == "String.Array");
  std::string canonical =
      "Message\nhello \"sns\"\nMessageId\nid-1\nSubject\nsubj\nTimestamp\n"
      "2026-11-18T11:06:40.123Z\nTopicArn\narn:aws:sns:us-east-1:000000000000:t1\nType\n"
      "Notification\n";
  CHECK(NotificationStringToSign("hello \"sns\"", "id-1", "subj", "2026-11-18T11:06:40.123Z",
                                 m.topic_arn) == canonical);
  CHECK(VerifyWithCertificate(signer.CertificatePem(), canonical, j["Signature"], EVP_sha1()));
  CHECK_FALSE(VerifyWithCertificate(signer.CertificatePem(), canonical + "x", j["Signature"],
                                    EVP_sha1()));
  links.signature_version = "2";
  auto j2 = nlohmann::json::parse(NotificationJson(m, "hello \"sns\"", links, signer));
  CHECK(VerifyWithCertificate(signer.CertificatePem(), canonical, j2["Signature"], EVP_sha256()));
  // A signature made ahead (Delivery::Dispatch keeps it in the Fanout) is used as it is.
  links.signature_version = "1";
  links.signature = NotificationSignature(m, "hello \"sns\"", "1", signer);
  CHECK(links.signature == j["Signature"]);
  links.signature = "c2lnbmVkLWFoZWFk";
  CHECK(nlohmann::json::parse(NotificationJson(m, "hello \"sns\"", links, signer))["Signature"] ==
        "c2lnbmVkLWFoZWFk");
  links.signature.clear();
  // No subject, no attributes: keys left out; FIFO adds SequenceNumber after MessageId.
  m.entry.subject.clear();
  m.entry.attributes.clear();
  m.sequence_number = "10000000000000000001";
  auto j3 = nlohmann::ordered_json::parse(NotificationJson(m, "x", links, signer));
  CHECK_FALSE(j3.contains("Subject"));
  CHECK_FALSE(j3.contains("MessageAttributes"));
  CHECK(std::next(j3.begin(), 2).key() == "SequenceNumber");
}

TEST_CASE("MessageStructure=json picks the protocol key, else default", "[sns]") {
  PublishEntry e;
  e.message = R"({"default":"d","sqs":"q","lambda":"l"})";
  e.message_structure = "json";
  CHECK(MessageFor(e, "sqs") == "q");
  CHECK(MessageFor(e, "http") == "d");
  CHECK(MessageFor(e, "lambda") == "l");
  e.message_structure.clear();
  CHECK(MessageFor(e, "sqs") == e.message);
}

TEST_CASE("retry policy schedule", "[sns]") {
  auto p = EffectiveRetryPolicy(
      R"({"http":{"defaultHealthyRetryPolicy":{"numRetries":5,"numNoDelayRetries":1,"minDelayTarget":1,"maxDelayTarget":3,"numMaxDelayRetries":1}}})",
      "");
  CHECK(p.num_retries == 5);
  CHECK(p.DelayMs(1) == 0);
  CHECK(p.DelayMs(2) == 1000);
  CHECK(p.DelayMs(4) == 3000);
  CHECK(p.DelayMs(5) == 3000);
  auto s = EffectiveRetryPolicy("", R"({"healthyRetryPolicy":{"numRetries":1,"minDelayTarget":2}})");
  CHECK(s.num_retries == 1);
  CHECK(s.DelayMs(1) == 2000);
  CHECK(EffectiveRetryPolicy("", "").num_retries == 3);
}

TEST_CASE("publish delivers through the SQS wire API: envelope, raw, FIFO, DLQ", "[sns]") {
  World w;
  auto created = w.Call("Action=CreateTopic&Name=t1");
  REQUIRE(created.status == 200);
  CHECK(created.body.find("<CreateTopicResult><TopicArn>") != std::string::npos);
  std::string topic = w.Extract(created.body, "TopicArn");
  std::string enc = str::UriEncode(topic);
  REQUIRE(w.Call("Action=Subscribe&Protocol=sqs&TopicArn=" + enc +
                 "&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aenv")
              .status == 200);
  REQUIRE(w.Call("Action=Subscribe&Protocol=sqs&TopicArn=" + enc +
                 "&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Araw"
                 "&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true")
              .status == 200);
  REQUIRE(w.Call("Action=Subscribe&Protocol=sqs&TopicArn=" + enc +
                 "&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Agone"
                 "&Attributes.entry.1.key=RedrivePolicy&Attributes.entry.1.value=" +
                 str::UriEncode(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"})"))
              .status == 200);
  auto pub = w.Call("Action=Publish&TopicArn=" + enc +
                    "&Message=hello&Subject=s"
                    "&MessageAttributes.entry.1.Name=color"
                    "&MessageAttributes.entry.1.Value.DataType=String"
                    "&MessageAttributes.entry.1.Value.StringValue=red");
  REQUIRE(pub.status == 200);
  CHECK(pub.body.find("<PublishResult><MessageId>") != std::string::npos);
  std::string id = w.Extract(pub.body, "MessageId");
  auto reqs = w.sqs->WaitFor(3);
  REQUIRE(reqs.size() == 3);
  std::map<std::string, nlohmann::json> by_queue;
  for (auto& r : reqs) {
    CHECK(r.first == "AmazonSQS.SendMessage");  // one copy per queue: no batch
    by_queue[r.second["QueueUrl"]] = r.second;
  }
  auto env = by_queue["http://localhost:4566/000000000000/env"];
  auto body = nlohmann::json::parse(env["MessageBody"].get<std::string>());
  CHECK(body["Type"] == "Notification");
  CHECK(body["MessageId"] == id);
  CHECK(body["Message"] == "hello");
  CHECK(body["Subject"] == "s");
  CHECK(body["MessageAttributes"]["color"]["Value"] == "red");
  CHECK_FALSE(env.contains("MessageAttributes"));
  auto raw = by_queue["http://localhost:4566/000000000000/raw"];
  CHECK(raw["MessageBody"] == "hello");
  CHECK(raw["MessageAttributes"]["color"]["DataType"] == "String");
  CHECK(raw["MessageAttributes"]["color"]["StringValue"] == "red");
  // The deleted queue's copy went to its subscription's DLQ, as an envelope.
  auto dlq = by_queue["http://localhost:4566/000000000000/dlq"];
  CHECK(nlohmann::json::parse(dlq["MessageBody"].get<std::string>())["MessageId"] == id);

  // The signing certificate is served.
  http::Request cert;
  cert.method = "GET";
  cert.target = "/_edastack/sns/SimpleNotificationService.pem";
  auto c = w.emu->Handle(cert);
  CHECK(c.status == 200);
  CHECK(c.body.find("BEGIN CERTIFICATE") != std::string::npos);
}

TEST_CASE("FIFO topic keeps order and passes group and dedup ids", "[sns]") {
  World w;
  auto created = w.Call("Action=CreateTopic&Name=f.fifo&Attributes.entry.1.key=FifoTopic&"
                        "Attributes.entry.1.value=true&Attributes.entry.2.key="
                        "ContentBasedDeduplication&Attributes.entry.2.value=true");
  REQUIRE(created.status == 200);
  std::string enc = str::UriEncode(w.Extract(created.body, "TopicArn"));
  REQUIRE(w.Call("Action=Subscribe&Protocol=sqs&TopicArn=" + enc +
                 "&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aq.fifo")
              .status == 200);
  for (int i = 0; i < 20; ++i) {
    auto r = w.Call("Action=Publish&TopicArn=" + enc + "&MessageGroupId=g&Message=m" +
                    std::to_string(i));
    REQUIRE(r.status == 200);
    CHECK(r.body.find("<SequenceNumber>") != std::string::npos);
  }
  auto reqs = w.sqs->WaitFor(20);
  REQUIRE(reqs.size() == 20);
  for (int i = 0; i < 20; ++i) {
    auto body = nlohmann::json::parse(reqs[i].second["MessageBody"].get<std::string>());
    CHECK(body["Message"] == "m" + std::to_string(i));
    CHECK(body.contains("SequenceNumber"));
    CHECK(reqs[i].second["MessageGroupId"] == "g");
    CHECK(reqs[i].second["MessageDeduplicationId"] ==
          crypto::Sha256Hex("m" + std::to_string(i)));
  }
  // Errors come back in the query shape.
  auto bad = w.Call("Action=Publish&TopicArn=" + enc + "&Message=x");
  CHECK(bad.status == 400);
  CHECK(bad.body.find("<Code>InvalidParameter</Code>") != std::string::npos);
  auto unknown = w.Call("Action=Frobnicate");
  CHECK(unknown.status == 400);
  CHECK(unknown.body.find("InvalidAction") != std::string::npos);
}

TEST_CASE("copies piled up for one queue go out as SendMessageBatch calls, in order",
          "[sns]") {
  World w;
  auto created = w.Call("Action=CreateTopic&Name=f.fifo&Attributes.entry.1.key=FifoTopic&"
                        "Attributes.entry.1.value=true&Attributes.entry.2.key="
                        "ContentBasedDeduplication&Attributes.entry.2.value=true");
  std::string enc = str::UriEncode(w.Extract(created.body, "TopicArn"));
  REQUIRE(w.Call("Action=Subscribe&Protocol=sqs&TopicArn=" + enc +
                 "&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aq.fifo"
                 "&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true"
                 "&Attributes.entry.2.key=RedrivePolicy&Attributes.entry.2.value=" +
                 str::UriEncode(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:d.fifo"})"))
              .status == 200);
  // The first delivery is held while 25 more publishes queue up behind it.
  w.sqs->Hold();
  REQUIRE(w.Call("Action=Publish&TopicArn=" + enc + "&MessageGroupId=g&Message=m0").status == 200);
  REQUIRE(w.sqs->WaitFor(1).size() == 1);
  for (int i = 1; i <= 25; ++i) {
    std::string m = i == 7 ? "reject7" : "m" + std::to_string(i);
    REQUIRE(w.Call("Action=Publish&TopicArn=" + enc + "&MessageGroupId=g&Message=" + m +
                   "&MessageAttributes.entry.1.Name=n&MessageAttributes.entry.1.Value.DataType="
                   "Number&MessageAttributes.entry.1.Value.StringValue=" + std::to_string(i))
                .status == 200);
  }
  w.sqs->Release();
  auto reqs = w.sqs->WaitFor(26);
  REQUIRE(reqs.size() == 26);
  // 25 copies: three batches (10, 10, 5); the rejected entry went alone to the DLQ.
  CHECK(w.sqs->Batches() == 3);
  CHECK(reqs[0].first == "AmazonSQS.SendMessage");
  std::vector<std::string> to_q;
  for (size_t i = 1; i < reqs.size(); ++i) {
    const auto& r = reqs[i].second;
    std::string body = r["MessageBody"];
    if (r["QueueUrl"] == "http://localhost:4566/000000000000/d.fifo") {
      CHECK(reqs[i].first == "AmazonSQS.SendMessage");
      CHECK(body == "reject7");
      continue;
    }
    CHECK(reqs[i].first == "AmazonSQS.SendMessageBatch");
    CHECK(r["MessageGroupId"] == "g");
    CHECK(r["MessageDeduplicationId"] == crypto::Sha256Hex(body));
    CHECK(r["MessageAttributes"]["n"]["DataType"] == "Number");
    to_q.push_back(body);
  }
  std::vector<std::string> want;
  for (int i = 1; i <= 25; ++i)
    if (i != 7) want.push_back("m" + std::to_string(i));
  CHECK(to_q == want);
}

TEST_CASE("a fan-out to many queues reaches each one in publish order", "[sns]") {
  World w;
  auto created = w.Call("Action=CreateTopic&Name=wide");
  std::string enc = str::UriEncode(w.Extract(created.body, "TopicArn"));
  // Eight queues, envelopes on the even ones: the delivery lanes share them out.
  std::map<std::string, std::string> sub_of;  // queue URL -> subscription ARN
  for (int q = 0; q < 8; ++q) {
    auto sub = w.Call("Action=Subscribe&ReturnSubscriptionArn=true&Protocol=sqs&TopicArn=" + enc +
                      "&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aw" +
                      std::to_string(q) +
                      (q % 2 ? "&Attributes.entry.1.key=RawMessageDelivery&"
                               "Attributes.entry.1.value=true"
                             : ""));
    REQUIRE(sub.status == 200);
    sub_of["http://localhost:4566/000000000000/w" + std::to_string(q)] =
        w.Extract(sub.body, "SubscriptionArn");
  }
  for (int i = 0; i < 30; ++i)
    REQUIRE(w.Call("Action=Publish&TopicArn=" + enc + "&Message=m" + std::to_string(i)).status ==
            200);
  auto reqs = w.sqs->WaitFor(240);
  REQUIRE(reqs.size() == 240);
  std::map<std::string, std::vector<std::string>> per_queue;
  for (const auto& r : reqs) {
    std::string queue = r.second["QueueUrl"], body = r.second["MessageBody"];
    bool envelope = (queue.back() - '0') % 2 == 0;
    if (envelope) {
      // Each envelope names its own subscription in UnsubscribeURL.
      auto doc = nlohmann::json::parse(body);
      CHECK(doc["UnsubscribeURL"].get<std::string>().find(str::UriEncode(sub_of[queue])) !=
            std::string::npos);
      CHECK(doc["Signature"].get<std::string>().size() > 100);
      body = doc["Message"];
    }
    per_queue[queue].push_back(body);
  }
  std::vector<std::string> want;
  for (int i = 0; i < 30; ++i) want.push_back("m" + std::to_string(i));
  REQUIRE(per_queue.size() == 8);
  for (const auto& kv : per_queue) CHECK(kv.second == want);
}

TEST_CASE("filter policies decide which subscribers get a message", "[sns]") {
  World w;
  auto created = w.Call("Action=CreateTopic&Name=t1");
  std::string enc = str::UriEncode(w.Extract(created.body, "TopicArn"));
  auto sub = [&](const std::string& queue, const std::string& policy, const std::string& scope) {
    auto r = w.Call("Action=Subscribe&Protocol=sqs&TopicArn=" + enc +
                    "&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3A" + queue +
                    "&Attributes.entry.1.key=FilterPolicy&Attributes.entry.1.value=" +
                    str::UriEncode(policy) +
                    "&Attributes.entry.2.key=FilterPolicyScope&Attributes.entry.2.value=" + scope);
    return r.status;
  };
  REQUIRE(sub("red", R"({"color":["red"]})", "MessageAttributes") == 200);
  REQUIRE(sub("num", R"({"n":[{"numeric":[">=",10]}]})", "MessageAttributes") == 200);
  REQUIRE(sub("body", R"({"kind":[{"prefix":"order"}]})", "MessageBody") == 200);
  CHECK(sub("bad", R"({"color":"red"})", "MessageAttributes") == 400);
  CHECK(sub("bad", R"({"color":[{"nonsense":1}]})", "MessageAttributes") == 400);
  auto publish = [&](const std::string& msg, const std::string& attrs) {
    REQUIRE(w.Call("Action=Publish&TopicArn=" + enc + "&Message=" + str::UriEncode(msg) + attrs)
                .status == 200);
  };
  auto attr = [](int i, const std::string& name, const std::string& type, const std::string& v) {
    std::string p = "&MessageAttributes.entry." + std::to_string(i) + ".";
    return p + "Name=" + name + p + "Value.DataType=" + type + p + "Value.StringValue=" + v;
  };
  publish("a", attr(1, "color", "String", "red"));                                 // red
  publish("b", attr(1, "color", "String", "blue") + attr(2, "n", "Number", "12"));  // num
  publish("c", attr(1, "n", "String", "12"));                                      // none
  publish(R"({"kind":"order-1"})", "");                                            // body
  publish(R"({"kind":"refund"})", attr(1, "color", "String", "red"));              // red
  auto reqs = w.sqs->WaitFor(4);
  std::vector<std::string> got;
  for (auto& r : reqs) {
    std::string url = r.second["QueueUrl"];
    got.push_back(url.substr(url.rfind('/') + 1) + ":" +
                  nlohmann::json::parse(r.second["MessageBody"].get<std::string>())["Message"]
                      .get<std::string>());
  }
  // Each queue gets its copies in publish order; queues may interleave in any order.
  std::stable_sort(got.begin(), got.end(), [](const std::string& a, const std::string& b) {
    return a.substr(0, a.find(':')) < b.substr(0, b.find(':'));
  });
  CHECK(got == std::vector<std::string>{"body:{\"kind\":\"order-1\"}", "num:b", "red:a",
                                        "red:{\"kind\":\"refund\"}"});
}

TEST_CASE("lambda subscriptions invoke the in-process function with the SNS event", "[sns]") {
  World w;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> events;
  int failures_left = 1;  // the first invocation fails: retried
  w.emu->functions().Register("fn", [&](const std::string& ev) -> Result<std::string> {
    std::lock_guard<std::mutex> g(mu);
    if (failures_left-- > 0) return MakeError("Boom", "first call fails");
    events.push_back(ev);
    cv.notify_all();
    return std::string("{}");
  });
  auto created = w.Call("Action=CreateTopic&Name=t1");
  std::string topic = w.Extract(created.body, "TopicArn");
  auto sub = w.Call("Action=Subscribe&Protocol=lambda&TopicArn=" + str::UriEncode(topic) +
                    "&Endpoint=" + str::UriEncode("arn:aws:lambda:us-east-1:000000000000:function:fn"));
  REQUIRE(sub.status == 200);
  std::string sub_arn = w.Extract(sub.body, "SubscriptionArn");
  CHECK(w.Call("Action=Subscribe&Protocol=lambda&TopicArn=" + str::UriEncode(topic) +
               "&Endpoint=fn&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true")
            .status == 400);
  REQUIRE(w.Call("Action=Publish&TopicArn=" + str::UriEncode(topic) + "&Message=hi&Subject=s").status ==
          200);
  std::unique_lock<std::mutex> lock(mu);
  cv.wait_for(lock, std::chrono::seconds(5), [&] { return !events.empty(); });
  REQUIRE(events.size() == 1);
  auto ev = nlohmann::json::parse(events[0]);
  auto& rec = ev["Records"][0];
  CHECK(rec["EventSource"] == "aws:sns");
  CHECK(rec["EventSubscriptionArn"] == sub_arn);
  CHECK(rec["Sns"]["Message"] == "hi");
  CHECK(rec["Sns"]["Subject"] == "s");
  CHECK(rec["Sns"]["TopicArn"] == topic);
  CHECK(rec["Sns"]["MessageAttributes"].is_object());
  CHECK(rec["Sns"].contains("SigningCertUrl"));
}
