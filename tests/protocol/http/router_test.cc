#include <catch2/catch.hpp>

#include "protocol/http/router.h"

using namespace edastack;
using http::Protocol;
using http::Service;

namespace {
http::Request Req(std::string method, std::string target, std::vector<std::pair<std::string, std::string>> headers = {},
                  std::string query = "") {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.raw_query = query;
  r.query = str::ParseForm(query);
  for (auto& h : headers) r.headers.emplace(h.first, h.second);
  return r;
}
}  // namespace

TEST_CASE("routing by target header, scope, version, path", "[router]") {
  CHECK(http::RouteHeaders(Req("POST", "/", {{"X-Amz-Target", "DynamoDB_20120810.PutItem"}})).service == Service::kDynamoDb);
  CHECK(http::RouteHeaders(Req("POST", "/", {{"X-Amz-Target", "DynamoDBStreams_20120810.GetRecords"}})).service == Service::kDynamoDbStreams);
  auto sqs = http::RouteHeaders(Req("POST", "/", {{"X-Amz-Target", "AmazonSQS.SendMessage"}}));
  CHECK(sqs.service == Service::kSqs);
  CHECK(sqs.protocol == Protocol::kJson10);
  CHECK(sqs.operation == "SendMessage");
  CHECK(http::RouteHeaders(Req("POST", "/", {{"X-Amz-Target", "AWSEvents.PutEvents"}})).protocol == Protocol::kJson11);
  auto sns = http::RouteHeaders(Req("POST", "/", {{"Authorization", "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=abc"}}));
  CHECK(sns.service == Service::kSns);
  CHECK(sns.protocol == Protocol::kQuery);
  CHECK(http::RouteHeaders(Req("PUT", "/bucket/key", {{"Authorization", "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc"}})).service == Service::kS3);
  // Unsigned form POST to / needs the body; an unsigned curl -d upload elsewhere is S3.
  auto form = Req("POST", "/", {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(http::RouteHeaders(form).service == Service::kUnknown);
  form.body = "Action=Publish&Version=2010-03-31";
  CHECK(http::RouteWithBody(form).service == Service::kSns);
  form.body = "Action=GetCallerIdentity&Version=2011-06-15";
  CHECK(http::RouteWithBody(form).service == Service::kSts);
  CHECK(http::RouteHeaders(Req("POST", "/bkt/key", {{"Content-Type", "application/x-www-form-urlencoded"}})).service == Service::kS3);
  CHECK(http::RouteHeaders(Req("POST", "/000000000000/q1", {{"Content-Type", "application/x-www-form-urlencoded"}})).service == Service::kSqs);
  CHECK(http::RouteHeaders(Req("GET", "/bkt/key", {}, "AWSAccessKeyId=x&Signature=y&Expires=1")).service == Service::kS3);
  CHECK(http::RouteHeaders(Req("GET", "/", {}, "Action=GetCallerIdentity&Version=2011-06-15")).service == Service::kSts);
  CHECK(http::RouteHeaders(Req("GET", "/_edastack/health")).service == Service::kAdmin);
}
